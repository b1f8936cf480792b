/* cmd_score.c - `posture score`: posture on stdout, exit 3 below --fail-under. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_TEMPLATE = 1, OPT_ANSWERS, OPT_PROFILE, OPT_TOP, OPT_JSON, OPT_COMPACT, OPT_FAIL };

static int cmd_score(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {
    {"template", 1, OPT_TEMPLATE, 0, "T",
     "template file, id or id@version (search path: posture template --help)",
     CLI_REQUIRED | CLI_FILE},
    {"answers", 1, OPT_ANSWERS, 0, "FILE", "answers: .json, .csv or .xlsx (posture answers --help)",
     CLI_REQUIRED | CLI_FILE},
    {"profile", 1, OPT_PROFILE, 0, "P",
     "compliance-manager (default), self-attested, or a profile file", CLI_FILE},
    {"top", 1, OPT_TOP, 0, "N", "improvement actions to list (default 10; 0 lists all)", 0},
    {"json", 0, OPT_JSON, 0, NULL, "the posture-summary/1 JSON document instead of tables", 0},
    {"compact", 0, OPT_COMPACT, 0, NULL, "with --json: on one line", 0},
    {"fail-under", 1, OPT_FAIL, 0, "PCT",
     "exit 3 when the score (rounded to 2 decimals) is below PCT,\nor when nothing is in scope", 0},
    {0}};

static const cli_cmd score_cmd = {
    .name = "score",
    .fn = cmd_score,
    .summary = "score answers against a template",
    .opts = opts,
    .text = "Score answers against a template and print the posture: the score of the\n"
            "assessment, of each family and control, and the improvement actions that would\n"
            "raise it most. Tables are sized to the terminal; not on a terminal, they are\n"
            "printed in full.\n",
};

const cli_group cli_group_score = {"score", "score answers against a template", NULL,
                                   (const cli_cmd *const[]){&score_cmd, NULL}};

/* Parse a percent "80", "72.5", "72.25" into hundredths; -1 when invalid. */
static long parse_pct(const char *s)
{
    long whole = 0, frac = 0;
    int digits = 0, fdigits = 0;
    const char *p = s;
    for (; isdigit((unsigned char)*p); p++, digits++) {
        whole = whole * 10 + (*p - '0');
        if (whole > 100)
            return -1;
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, fdigits++) {
            if (fdigits >= 2)
                return -1;
            frac = frac * 10 + (*p - '0');
        }
        if (!fdigits)
            return -1;
        if (fdigits == 1)
            frac *= 10;
    }
    if (*p || !digits)
        return -1;
    long v = whole * 100 + frac;
    return v <= 10000 ? v : -1;
}

/* A percent in hundredths with two decimals, as people read it: "87.10%". */
static void fmt_pct(int64_t v, char buf[32])
{
    snprintf(buf, 32, "%lld.%02lld%%", (long long)(v / 100), (long long)(v % 100));
}

static void print_points(const posture_points *p, int width)
{
    char pct[32];
    if (!p->has_percent) {
        cli_cell(stdout, "n/a", width, 1);
        return;
    }
    fmt_pct(p->percent_x100, pct);
    cli_cell(stdout, pct, width, 1);
}

static void print_x100(int64_t v, int width)
{
    char buf[32];
    posture_format_x100(v, buf);
    cli_cell(stdout, buf, width, 1);
}

static void print_tables(const posture_result *r, size_t top)
{
    const posture_template *t = posture_result_template(r);
    const posture_template_info *ti = posture_template_info_get(t);
    const posture_answers *a = posture_result_answers(r);
    const posture_assessment_info *ai = posture_answers_info(a);
    int width = cli_term_width();
    char buf[32], buf2[32];

    printf("%s (%s %s)\n", ti->title, ti->id, ti->version);
    printf("Assessment: %s", ai->name ? ai->name : "(unnamed)");
    if (ai->organization)
        printf(", %s", ai->organization);
    printf("  [profile %s]\n\n", posture_profile_id(posture_result_profile(r)));

    const posture_points *tot = posture_result_total(r);
    posture_format_x100(tot->achieved_x100, buf);
    posture_format_x100(tot->possible_x100, buf2);
    if (tot->has_percent) {
        char pct[32];
        fmt_pct(tot->percent_x100, pct);
        printf("Score: %s (%s of %s points)\n\n", pct, buf, buf2);
    } else {
        printf("Score: n/a (nothing in scope)\n\n");
    }

    size_t ct, at;
    const size_t *cc = posture_result_control_counts(r, &ct);
    const size_t *ac = posture_result_action_counts(r, &at);
    printf("Controls: %zu total, %zu passed, %zu failed, %zu in progress, %zu not assessed, "
           "%zu out of scope\n",
           ct, cc[POSTURE_CSTATUS_PASSED], cc[POSTURE_CSTATUS_FAILED],
           cc[POSTURE_CSTATUS_IN_PROGRESS], cc[POSTURE_CSTATUS_NOT_ASSESSED],
           cc[POSTURE_CSTATUS_OUT_OF_SCOPE]);
    printf("Actions:  %zu total, %zu passed, %zu failed, %zu partial, %zu in progress, "
           "%zu not assessed, %zu out of scope\n\n",
           at, ac[POSTURE_ASTATUS_PASSED], ac[POSTURE_ASTATUS_FAILED], ac[POSTURE_ASTATUS_PARTIAL],
           ac[POSTURE_ASTATUS_IN_PROGRESS], ac[POSTURE_ASTATUS_NOT_ASSESSED],
           ac[POSTURE_ASTATUS_OUT_OF_SCOPE]);

    /* families: ID  TITLE  ACHIEVED  POSSIBLE  SCORE */
    int idw = 6;
    for (size_t i = 0; i < posture_result_family_count(r); i++) {
        int n = (int)strlen(posture_result_family(r, i)->family->id);
        if (n > idw)
            idw = n;
    }
    idw = cli_cap(width, idw, 16);
    int longest = 5;
    for (size_t i = 0; i < posture_result_family_count(r); i++) {
        int n = cli_text_width(posture_result_family(r, i)->family->title);
        if (n > longest)
            longest = n;
    }
    int titlew = cli_room(width, idw + 3 * 10 + 4, 10, longest);
    cli_cell(stdout, "FAMILY", idw, 0);
    fputs("  ", stdout);
    cli_cell(stdout, "TITLE", titlew, 0);
    printf("%10s%10s%10s\n", "ACHIEVED", "POSSIBLE", "SCORE");
    for (size_t i = 0; i < posture_result_family_count(r); i++) {
        const posture_family_result *f = posture_result_family(r, i);
        cli_cell(stdout, f->family->id, idw, 0);
        fputs("  ", stdout);
        cli_cell(stdout, f->family->title, titlew, 0);
        print_x100(f->score.achieved_x100, 10);
        print_x100(f->score.possible_x100, 10);
        print_points(&f->score, 10);
        fputc('\n', stdout);
    }

    size_t n = posture_result_improvement_count(r);
    if (top && top < n)
        n = top;
    if (!n) {
        printf("\nNo improvement actions: every counted action has full credit.\n");
        return;
    }
    printf("\nTop improvement actions (%zu of %zu)\n", n, posture_result_improvement_count(r));
    int aw = 6;
    for (size_t i = 0; i < n; i++) {
        int l =
            (int)strlen(posture_template_action(t, posture_result_improvement(r, i)->action)->id);
        if (l > aw)
            aw = l;
    }
    aw = cli_cap(width, aw, 40);
    int widest = 5;
    for (size_t i = 0; i < n; i++) {
        const posture_action *x =
            posture_template_action(t, posture_result_improvement(r, i)->action);
        int l = cli_text_width(x->title);
        if (l > widest)
            widest = l;
    }
    int tw = cli_room(width, aw + 8 + 9 + 8 + 4, 10, widest);
    cli_cell(stdout, "ACTION", aw, 0);
    fputs("  ", stdout);
    cli_cell(stdout, "TITLE", tw, 0);
    printf("%8s%9s  %s\n", "GAIN", "GAIN %", "RISK");
    for (size_t i = 0; i < n; i++) {
        const posture_improvement *im = posture_result_improvement(r, i);
        const posture_action *x = posture_template_action(t, im->action);
        cli_cell(stdout, x->id, aw, 0);
        fputs("  ", stdout);
        cli_cell(stdout, x->title, tw, 0);
        print_x100(im->gain_x100, 8);
        posture_points gp = {0, 0, im->has_percent, im->gain_percent_x100};
        print_points(&gp, 9);
        const char *risk = posture_risk_token(im->risk);
        printf("  %s\n", risk ? risk : "-");
    }
}

static int cmd_score(int argc, char **argv, cli_global *g)
{
    const char *tref = NULL, *apath = NULL, *pref = NULL, *val;
    long top = 10, fail_under = -1;
    int json = 0, compact = 0, r, i = 1;
    while ((r = cli_parse(argc, argv, &i, &score_cmd, &val)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help_cmd(&score_cmd);
        case 0: return cli_bad_usage(&score_cmd, "score: unexpected argument '%s'", argv[i]);
        case OPT_TEMPLATE: tref = val; break;
        case OPT_ANSWERS: apath = val; break;
        case OPT_PROFILE: pref = val; break;
        case OPT_JSON: json = 1; break;
        case OPT_COMPACT: compact = 1; break;
        case OPT_TOP: {
            char *end;
            top = strtol(val, &end, 10);
            if (!*val || *end || top < 0)
                return cli_bad_usage(&score_cmd, "score: --top needs a whole number >= 0, got '%s'",
                                       val);
            break;
        }
        case OPT_FAIL:
            fail_under = parse_pct(val);
            if (fail_under < 0)
                return cli_bad_usage(
                    &score_cmd, "score: --fail-under needs a percent from 0 to 100, got '%s'", val);
            break;
        }
    }
    if (!tref)
        return cli_bad_usage(&score_cmd, "score: missing --template");
    if (!apath)
        return cli_bad_usage(&score_cmd, "score: missing --answers");

    cli_scored sc;
    const posture_result *res = NULL;
    char *doc = NULL;
    int code = cli_score_files(g, tref, apath, pref, &sc);
    if (code != EXIT_OK)
        goto done;
    res = sc.res;
    if (json) {
        posture_json_options jo = {compact, posture_report_time()};
        if (posture_report_json(res, &jo, &doc) != 0) {
            code = cli_fail_last();
            goto done;
        }
        fputs(doc, stdout);
    } else {
        print_tables(res, (size_t)top);
    }
    if (fail_under >= 0) {
        const posture_points *tot = posture_result_total(res);
        char want[32], got[32];
        posture_format_x100(fail_under, want);
        if (!tot->has_percent) {
            cli_error("nothing is in scope, so there is no score to compare with --fail-under %s",
                      want);
            code = EXIT_BELOW;
        } else if (tot->percent_x100 < fail_under) {
            fmt_pct(tot->percent_x100, got);
            cli_error("score %s is below --fail-under %s%%", got, want);
            code = EXIT_BELOW;
        }
    }
done:
    free(doc);
    cli_scored_free(&sc);
    return code;
}
