/* cmd_coverage.c - `posture coverage`: an assessment projected onto another template. */
#include <stdlib.h>
#include <string.h>

#include "storecli.h"

enum { O_TEMPLATE = 1, O_ANSWERS, O_TO, O_PROFILE, O_MAPPINGS, O_JSON, O_COMPACT, O_UNMAPPED };

static int cmd_coverage(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {
    {"template", 1, O_TEMPLATE, 0, "T",
     "with NAME: the template to project onto; with --answers:\nthe template of the answers",
     CLI_REQUIRED | CLI_FILE},
    {"answers", 1, O_ANSWERS, 0, "FILE", "answers (.json, .csv or .xlsx) instead of a stored NAME",
     CLI_FILE},
    {"to", 1, O_TO, 0, "T", "with --answers: the template to project onto", CLI_FILE},
    {"profile", 1, O_PROFILE, 0, "P",
     "the scoring profile (default: the assessment's, or\ncompliance-manager)", CLI_FILE},
    {"mappings", 1, O_MAPPINGS, 0, "DIR",
     "read the mapping collections in DIR too, before those of\nthe template search path "
     "(repeatable)", CLI_DIR | CLI_REPEAT},
    {"json", 0, O_JSON, 0, NULL, "the posture-coverage/1 JSON document instead of text", 0},
    {"compact", 0, O_COMPACT, 0, NULL, "with --json: on one line", 0},
    {"unmapped", 0, O_UNMAPPED, 0, NULL,
     "list only the controls that no mapping relates and that\nshare no action", 0},
    {0}};

static const cli_cmd coverage_cmd = {
    .name = "coverage",
    .fn = cmd_coverage,
    .summary = "project an assessment onto another template through mappings",
    .args = "[NAME]",
    .opts = opts,
    .synopsis = "posture coverage NAME --template T [options]\n"
                "       posture coverage --template A --answers FILE --to T [options]",
    .text =
        "Project an assessment (a stored one, NAME, or answers to template A) onto template T:\n"
        "for each control of T, the controls of the assessment's template that the mapping\n"
        "collections relate to it (relationship, collection), the actions the two templates\n"
        "share, and the status they imply; and T's projected score. Shared actions keep their\n"
        "answers; T's other actions get the answer the mappings imply, never more than the\n"
        "relationship supports: equal-to, equivalent-to and superset-of carry a passed or\n"
        "failed control over, subset-of and intersects-with give at most a partial\n"
        "implementation (docs/mappings.md). The projection is scored by the scoring core.\n"
        "Mapping collections are read from the mappings/ folder of each template directory\n"
        "(and --mappings DIR).\n",
};

const cli_group cli_group_coverage = {"coverage",
                                      "project an assessment onto another template", NULL,
                                      (const cli_cmd *const[]){&coverage_cmd, NULL}};

int cli_mappings(posture_library *lib, const char *const *dirs, size_t ndirs,
                 posture_mapping_library **out)
{
    *out = NULL;
    posture_diags *d = NULL;
    posture_mapping_library *ml = NULL;
    int rc = posture_diags_new(&d);
    if (rc == 0)
        rc = posture_mapping_library_new(&ml);
    for (size_t i = 0; rc == 0 && i < ndirs; i++)
        rc = posture_mapping_library_add_dir(ml, dirs[i], d);
    if (rc == 0)
        rc = posture_mapping_library_add_template_dirs(ml, lib, d);
    cli_print_diags(d);
    if (rc != 0 && posture_diags_errors(d) == 0)
        cli_fail_last();
    posture_diags_free(d);
    if (rc != 0) {
        posture_mapping_library_free(ml);
        return EXIT_FAIL;
    }
    *out = ml;
    return EXIT_OK;
}

int cli_project(const cli_global *g, posture_library **lib, const posture_result *src,
                const char *to, const char *const *mapdirs, size_t nmapdirs, cli_cov *out)
{
    memset(out, 0, sizeof *out);
    int code = cli_load_template(g, to, lib, &out->t);
    if (code == EXIT_OK)
        code = cli_mappings(*lib, mapdirs, nmapdirs, &out->ml);
    if (code != EXIT_OK)
        return code;
    size_t n = posture_mapping_library_count(out->ml);
    const posture_mapping_collection **v = calloc(n ? n : 1, sizeof *v);
    posture_diags *d = NULL;
    if (!v || posture_diags_new(&d) != 0) {
        free(v);
        return cli_fail_last();
    }
    for (size_t i = 0; i < n; i++)
        v[i] = posture_mapping_library_get(out->ml, i);
    int rc = posture_coverage_project(src, out->t, v, n, d, &out->cov);
    cli_print_diags(d);
    posture_diags_free(d);
    free(v);
    return rc == 0 ? EXIT_OK : cli_fail_last();
}

void cli_cov_free(cli_cov *c)
{
    posture_coverage_free(c->cov);
    posture_mapping_library_free(c->ml);
    posture_template_free(c->t);
    memset(c, 0, sizeof *c);
}

/* "Passed, 27 of 30 points (90.00%)" */
static void print_score(const char *status, const posture_points *p)
{
    char a[32], b[32], pct[32];
    posture_format_x100(p->achieved_x100, a);
    posture_format_x100(p->possible_x100, b);
    store_cli_pct(p, pct);
    printf("%s, %s of %s points (%s)", status, a, b, pct);
}

static void print_control(const posture_coverage *c, size_t i)
{
    const posture_result *src = posture_coverage_source(c), *res = posture_coverage_result(c);
    const posture_template *st = posture_result_template(src), *tt = posture_result_template(res);
    const posture_coverage_control *cc = posture_coverage_control_get(c, i);
    const posture_control_result *cr = posture_result_control(res, i);
    printf("%s  %s\n  ", cr->control->id, cr->control->title);
    print_score(posture_control_status_label(cr->status), &cr->score);
    fputc('\n', stdout);
    for (size_t k = 0; k < cc->nshared; k++) {
        const posture_action *a = posture_template_action(tt, cc->shared[k]);
        long si = posture_template_find_action(st, a->id);
        printf("  shares %s (%s)\n", a->id,
               posture_action_status_label(posture_result_action(src, (size_t)si)->status));
    }
    for (size_t k = 0; k < cc->nown; k++)
        printf("  projects %s: %s\n", posture_template_action(tt, cc->own[k])->id,
               posture_implied_token(posture_coverage_action_implies(c, cc->own[k])));
    for (size_t k = 0; k < cc->nlinks; k++) {
        const posture_coverage_link *l = &cc->links[k];
        fputs("  maps", stdout);
        for (size_t j = 0; j < l->nsources; j++) {
            const posture_control_result *sr = posture_result_control(src, l->sources[j]);
            printf("%s %s (%s)", j ? "," : "", sr->control->id,
                   posture_control_status_token(sr->status));
        }
        printf(" %s: %s  [%s]\n", posture_relation_token(l->relation),
               posture_implied_token(l->implies), posture_mapping_info_get(l->collection)->name);
    }
    if (!cc->nshared && !cc->nlinks)
        printf("  no mapping and no shared action\n");
}

static void print_text(const posture_coverage *c, int unmapped)
{
    const posture_result *src = posture_coverage_source(c), *res = posture_coverage_result(c);
    const posture_template_info *si = posture_template_info_get(posture_result_template(src));
    const posture_template_info *ti = posture_template_info_get(posture_result_template(res));
    const posture_assessment_info *ai = posture_answers_info(posture_result_answers(src));
    char buf[128];
    printf("Coverage of %s (%s %s)\n", ti->title, ti->id, ti->version);
    store_cli_score(posture_result_total(src), buf);
    printf("From: %s (%s %s): %s  [profile %s]\n", ai->name ? ai->name : "(unnamed)", si->id,
           si->version, buf, posture_profile_id(posture_result_profile(res)));
    fputs("Mappings:", stdout);
    if (!posture_coverage_collection_count(c))
        fputs(" none", stdout);
    for (size_t i = 0; i < posture_coverage_collection_count(c); i++)
        printf("%s %s (%zu maps)", i ? "," : "",
               posture_mapping_info_get(posture_coverage_collection_get(c, i))->name,
               posture_coverage_collection_maps(c, i));
    fputs("\n\n", stdout);
    store_cli_score(posture_result_total(res), buf);
    printf("Projected score: %s\n", buf);
    size_t ct;
    const size_t *cc = posture_result_control_counts(res, &ct);
    printf("Controls: %zu total, %zu passed, %zu failed, %zu in progress, %zu not assessed, "
           "%zu out of scope\n",
           ct, cc[POSTURE_CSTATUS_PASSED], cc[POSTURE_CSTATUS_FAILED],
           cc[POSTURE_CSTATUS_IN_PROGRESS], cc[POSTURE_CSTATUS_NOT_ASSESSED],
           cc[POSTURE_CSTATUS_OUT_OF_SCOPE]);
    posture_coverage_counts n = posture_coverage_counts_get(c);
    printf("Mapped: %zu controls; sharing an action: %zu; neither: %zu\n", n.mapped, n.sharing,
           n.neither);
    if (unmapped) {
        printf("\nControls no mapping relates and that share no action (%zu):\n", n.neither);
        for (size_t i = 0; i < posture_coverage_control_count(c); i++) {
            const posture_coverage_control *x = posture_coverage_control_get(c, i);
            if (!x->nlinks && !x->nshared) {
                const posture_control *ctl = posture_template_control(
                    posture_result_template(res), x->index);
                printf("%s  %s\n", ctl->id, ctl->title);
            }
        }
        return;
    }
    for (size_t i = 0; i < posture_coverage_control_count(c); i++) {
        fputc('\n', stdout);
        print_control(c, i);
    }
}

static int output(const posture_coverage *c, int json, int compact, int unmapped)
{
    if (!json) {
        print_text(c, unmapped);
        return EXIT_OK;
    }
    char *doc = NULL;
    posture_json_options jo = {compact, posture_report_time()};
    if (posture_report_coverage_json(c, &jo, &doc) != 0)
        return cli_fail_last();
    fputs(doc, stdout);
    free(doc);
    return EXIT_OK;
}

static int cmd_coverage(int argc, char **argv, cli_global *g)
{
    const char *name = NULL, *tref = NULL, *apath = NULL, *to = NULL, *prof = NULL, *val;
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    size_t ndirs = 0;
    int json = 0, compact = 0, unmapped = 0, r, i = 1, code = EXIT_OK;
    if (!dirs)
        return cli_fail_last();
    while ((r = cli_parse(argc, argv, &i, &coverage_cmd, &val)) != -1) {
        switch (r) {
        case -2: code = EXIT_USAGE; goto done;
        case 'h': code = cli_help_cmd(&coverage_cmd); goto done;
        case 0:
            if (name) {
                code = cli_bad_usage(&coverage_cmd, "coverage: unexpected argument '%s'",
                                     argv[i]);
                goto done;
            }
            name = argv[i++];
            break;
        case O_TEMPLATE: tref = val; break;
        case O_ANSWERS: apath = val; break;
        case O_TO: to = val; break;
        case O_PROFILE: prof = val; break;
        case O_MAPPINGS: dirs[ndirs++] = val; break;
        case O_JSON: json = 1; break;
        case O_COMPACT: compact = 1; break;
        case O_UNMAPPED: unmapped = 1; break;
        }
    }
    const char *why = NULL;
    if (!tref)
        why = "coverage: missing --template";
    else if (name && (apath || to))
        why = "coverage: give a stored assessment NAME or --answers FILE --to T, not both";
    else if (!name && !apath)
        why = "coverage: give a stored assessment NAME, or --answers FILE and --to T";
    else if (!name && !to)
        why = "coverage: missing --to T (the template to project onto)";
    else if (json && unmapped)
        why = "coverage: --unmapped is a text report; the JSON has every control";
    else if (compact && !json)
        why = "coverage: --compact goes with --json";
    if (why) {
        code = cli_bad_usage(&coverage_cmd, "%s", why);
        goto done;
    }
    cli_cov cov = {0};
    if (!name) {
        cli_scored sc;
        code = cli_score_files(g, tref, apath, prof, &sc);
        if (code == EXIT_OK)
            code = cli_project(g, &sc.lib, sc.res, to, dirs, ndirs, &cov);
        if (code == EXIT_OK)
            code = output(cov.cov, json, compact, unmapped);
        cli_cov_free(&cov);
        cli_scored_free(&sc);
        goto done;
    }
    posture_store *s;
    posture_library *lib;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        goto done;
    posture_diags *d = NULL;
    posture_store_scored *sc = NULL;
    if (posture_diags_new(&d) != 0 || posture_store_score(s, name, prof, d, &sc) != 0)
        code = store_cli_fail_diags(s, d);
    else if ((code = cli_project(g, &lib, posture_store_scored_result(sc), tref, dirs, ndirs,
                                 &cov)) == EXIT_OK)
        code = output(cov.cov, json, compact, unmapped);
    cli_cov_free(&cov);
    posture_store_scored_free(sc);
    posture_diags_free(d);
    store_cli_close(s, lib);
done:
    free(dirs);
    return code;
}
