/*
 * test_sheet_roundtrip.c - "nothing lost" (answers-format.md) as property
 * tests: generated answers (every status pair, unicode, commas, quotes,
 * line breaks, formula characters, control characters, OOXML escapes,
 * long notes, many evidence items) go json -> csv -> json and
 * json -> xlsx -> json and come back identical (posture_answers_to_json),
 * and a `posture report` workbook reads back to the answers that made it;
 * plus the cell limit, blank sheets and reproducible workbooks.
 */
#include "sheet_util.h"

#define NFAM 6
#define NCTL_PER_FAM 10
#define NACT (NFAM * NCTL_PER_FAM * 4)
#define SEEDS 12

static posture_template *G;
static const char *G_PATH;

/* ---- a small deterministic generator -------------------------------------------------------- */

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct gbuf {
    char *p;
    size_t len, cap;
} gbuf;

static void gadd(gbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

/* Pieces of text that break naive CSV, XML or spreadsheet handling. */
static const char *const pieces[] = {
    "a", "Zürich", "日本語", "\xF0\x9F\x98\x80", "\xF0\x9D\x84\x9E", ",", " ", "  ", "\"", "'",
    "\n", "\r\n", "\r", "\t", "=", "+", "-", "@", "'=", "''+", "_x0041_", "_x005F_", "_xD83D_",
    "_x000D_", "\x01", "\x1b", "\x7f", "\xEF\xBF\xBE", "\xEF\xBF\xBF", "&amp;", "<b>", "]]>",
    "%s%n", "\\", "\xC2\xA0", "\xE2\x80\xA8", "\xC3\xA9\xC3\xA8", "ab12", "=SUM(A1:A9)",
    "@cmd", "-2+3", "+1 555", "\tlead", "x_y", "_x", "_x00", "1.5E+20", "TRUE", "#N/A",
};
#define NPIECES (sizeof pieces / sizeof *pieces)

static int has_line_break(const char *s) { return strchr(s, '\n') || strchr(s, '\r'); }

/*
 * Whether the report workbook (workbook.md) keeps a piece as it is: it replaces control
 * characters and U+FFFE/U+FFFF, turns CR into LF, and does not escape a literal _xHHHH_.
 */
static int report_keeps(const char *p)
{
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if ((*c < 0x20 && *c != '\t' && *c != '\n') || (c[0] == 0xEF && c[1] == 0xBF && c[2] >= 0xBE))
            return 0;
    return !strstr(p, "_x0") && !strstr(p, "_x005F_") && !strstr(p, "_xD8");
}

/* Generate text the report keeps as it is (for report workbook round trips). */
static int report_safe;

/* A non-empty text of 1-12 pieces; without line breaks when `oneline`. */
static char *rand_text(int oneline)
{
    gbuf b = {0};
    unsigned n = 1 + rnd(12);
    for (unsigned i = 0; i < n; i++) {
        const char *p = pieces[rnd(NPIECES)];
        if ((oneline && has_line_break(p)) || (report_safe && !report_keeps(p)))
            p = "x";
        gadd(&b, p);
    }
    return b.p;
}

/* UTF-16 code units of UTF-8 text. */
static size_t units(const char *s)
{
    size_t u = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            u += *p >= 0xF0 ? 2 : 1;
    return u;
}

/* Long text of exactly `target` UTF-16 code units (what a cell holds at most). */
static char *long_text(size_t target)
{
    static const char *const safe[] = {"lorem ", "日本語", "\xF0\x9F\x98\x80", ", \"q\" ", "\n",
                                       "é", "=x"};
    gbuf b = {0};
    gadd(&b, "=");
    size_t u = 1;
    while (u < target) {
        const char *p = safe[rnd(7)];
        size_t pu = units(p);
        if (u + pu > target)
            p = "z", pu = 1;
        gadd(&b, p);
        u += pu;
    }
    return b.p;
}

static const char *const dates[] = {"1899-12-31", "0001-01-01", "1900-01-01", "1900-02-28",
                                    "1900-03-01", "1904-01-01", "2000-02-29", "2026-11-20",
                                    "9999-12-31"};

/* ---- the generated template ------------------------------------------------------------------ */

static void make_template(void)
{
    static const char *const types[] = {"preventive", "detective", "corrective"};
    static const char *const enf[] = {"mandatory", "discretionary"};
    static const char *const it[] = {"technical", "operational", "documentation"};
    static const char *const own[] = {"customer", "shared", "provider"};
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "posture-template/1");
    cJSON_AddStringToObject(root, "id", "gen");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON_AddStringToObject(root, "title", "Generated \xC2\xAB" "template\xC2\xBB, =1+1");
    cJSON *fams = cJSON_AddArrayToObject(root, "families");
    char buf[64];
    for (int f = 0; f < NFAM; f++) {
        cJSON *fo = cJSON_CreateObject();
        snprintf(buf, sizeof buf, "F%d", f + 1);
        cJSON_AddStringToObject(fo, "id", buf);
        cJSON_AddStringToObject(fo, "title", "Family, \"quoted\"");
        cJSON *ctls = cJSON_AddArrayToObject(fo, "controls");
        for (int c = 0; c < NCTL_PER_FAM; c++) {
            int k = f * NCTL_PER_FAM + c;
            cJSON *co = cJSON_CreateObject();
            snprintf(buf, sizeof buf, "%d.%d", f + 5, c + 1);
            cJSON_AddStringToObject(co, "id", buf);
            cJSON_AddStringToObject(co, "title", "Control \xE2\x80\x94 title");
            cJSON *acts = cJSON_AddArrayToObject(co, "actions");
            for (int a = 0; a < 4; a++) {
                snprintf(buf, sizeof buf, "act.gen.%03d", k * 4 + a);
                cJSON_AddItemToArray(acts, cJSON_CreateString(buf));
            }
            cJSON_AddItemToArray(ctls, co);
        }
        cJSON_AddItemToArray(fams, fo);
    }
    cJSON *acts = cJSON_AddArrayToObject(root, "actions");
    for (int a = 0; a < NACT; a++) {
        cJSON *ao = cJSON_CreateObject();
        snprintf(buf, sizeof buf, "act.gen.%03d", a);
        cJSON_AddStringToObject(ao, "id", buf);
        cJSON_AddStringToObject(ao, "title", a % 7 ? "Do the thing" : "=HYPERLINK(\"x\")");
        cJSON_AddStringToObject(ao, "type", types[a % 3]);
        cJSON_AddStringToObject(ao, "enforcement", enf[a % 2]);
        cJSON_AddStringToObject(ao, "implementation_type", it[a % 3]);
        cJSON_AddStringToObject(ao, "owner", own[a % 3]);
        if (a % 5 == 0)
            cJSON_AddNumberToObject(ao, "points", 1 + a % 99);
        cJSON_AddItemToArray(acts, ao);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    G_PATH = tu_write("gen.json", text);
    free(text);
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_template_load(NULL, G_PATH, 0, d, &G), 0);
    assert_diags(d, "");
    posture_diags_free(d);
}

/* ---- generated answers ------------------------------------------------------------------------ */

static char *maybe(unsigned pct, int oneline)
{
    return rnd(100) < pct ? rand_text(oneline) : NULL;
}

/* Answers for G in template order (as a workbook lists them), valid, as JSON text. */
static char *gen_answers(void)
{
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    assert_int_equal(posture_answers_set_template(a, rnd(2) ? "gen" : "gen@2.1.0",
                                                  rnd(3) ? "2.1.0" : NULL),
                     0);
    char *name = rand_text(0), *org = maybe(70, 0), *scope = maybe(70, 0),
         *group = maybe(50, 0);
    posture_assessment_info info = {name, org, scope, group,
                                    rnd(2) ? dates[rnd(9)] : NULL};
    assert_int_equal(posture_answers_set_info(a, &info), 0);
    free(name);
    free(org);
    free(scope);
    free(group);
    for (size_t c = 0; c < posture_template_control_count(G); c++) {
        unsigned r = rnd(10);
        if (r > 2)
            continue;
        char *just = rand_text(0);
        posture_control_scope cs = {posture_template_control(G, c)->id, r == 2, just, -1, NULL};
        assert_int_equal(posture_answers_add_control(a, &cs), 0);
        free(just);
    }
    unsigned k = 0;
    for (size_t i = 0; i < NACT; i++) {
        if (rnd(10) < 3)
            continue;
        posture_answer an = {0};
        an.action = posture_template_action(G, i)->id;
        /* the first 42 answers go through every implementation x test pair */
        an.implementation = (posture_implementation)(k % POSTURE_IMPL__COUNT);
        an.test = (posture_test)((k / POSTURE_IMPL__COUNT) % POSTURE_TEST__COUNT);
        k++;
        an.tested_at = rnd(10) < 6 ? dates[rnd(9)] : NULL;
        char *assigned = maybe(50, 0);
        char *notes = NULL;
        unsigned r = rnd(40);
        if (r == 0)
            notes = long_text(32767); /* exactly a full cell */
        else if (r == 1)
            notes = long_text(20000 + rnd(12000));
        else
            notes = maybe(70, 0);
        an.assigned_to = assigned;
        an.notes = notes;
        size_t nev = rnd(10) == 0 ? 40 + rnd(40) : rnd(4);
        char **ev = calloc(nev ? nev : 1, sizeof *ev);
        for (size_t e = 0; e < nev; e++)
            ev[e] = rand_text(1);
        an.evidence = (const char *const *)ev;
        an.nevidence = nev;
        an.action_index = -1;
        assert_int_equal(posture_answers_add(a, &an), 0);
        for (size_t e = 0; e < nev; e++)
            free(ev[e]);
        free(ev);
        free(assigned);
        free(notes);
    }
    char *json = posture_answers_to_json(a);
    posture_answers_free(a);
    return json;
}

/* Assert two long texts are equal, showing where they first differ (cmocka cuts long strings). */
static void same_text(const char *what, const char *got, const char *want)
{
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    if (!got[i] && !want[i])
        return;
    size_t from = i > 200 ? i - 200 : 0;
    print_error("%s differs at byte %zu:\n--- got:\n%.400s\n--- want:\n%.400s\n", what, i,
                got + from, want + from);
    fail();
}

/* Parse JSON answers against G, asserting they are valid. */
static posture_answers *from_json(const char *json)
{
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    int rc = posture_answers_parse_json(json, strlen(json), "gen-answers.json", G, d, &a);
    assert_diags(d, "");
    assert_int_equal(rc, 0);
    posture_diags_free(d);
    return a;
}

static posture_answers *load(const char *path, const char *expected_diags)
{
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    int rc = posture_answers_load(path, G, d, &a);
    assert_diags(d, expected_diags);
    assert_int_equal(rc, 0);
    posture_diags_free(d);
    return a;
}

static void json_csv_xlsx_json(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= SEEDS; seed++) {
        rng = 0x9E3779B97F4A7C15ULL * seed;
        char *json = gen_answers();
        posture_answers *a = from_json(json);
        char *want = posture_answers_to_json(a);
        same_text("json -> answers -> json", want, json);

        /* json -> xlsx -> json: identical, metadata and controls included */
        posture_diags *w = NULL;
        assert_int_equal(posture_diags_new(&w), 0);
        const char *xp = tmp_path("rt.xlsx");
        assert_int_equal(posture_answers_write_xlsx(a, G, w, xp), 0);
        assert_diags(w, "");
        posture_answers *b = load(xp, "");
        char *got = posture_answers_to_json(b);
        same_text("json -> xlsx -> json", got, want);
        free(got);
        posture_answers_free(b);

        /* json -> csv -> json: identical answers; CSV carries no metadata or controls, so the
         * options would supply them: here they are copied from the original */
        posture_diags_clear(w);
        const char *cp = tmp_path("rt.csv");
        assert_int_equal(posture_answers_write_csv(a, w, cp), 0);
        assert_int_equal(posture_diags_count(w), posture_answers_control_count(a) ? 1 : 0);
        posture_answers *c = load(cp, "");
        assert_string_equal(posture_answers_info(c)->name, "rt");
        assert_int_equal(posture_answers_set_template(c, posture_answers_template_ref(a),
                                                      posture_answers_template_version(a)),
                         0);
        assert_int_equal(posture_answers_set_info(c, posture_answers_info(a)), 0);
        for (size_t i = 0; i < posture_answers_control_count(a); i++)
            assert_int_equal(posture_answers_add_control(c, posture_answers_control(a, i)), 0);
        got = posture_answers_to_json(c);
        same_text("json -> csv -> json", got, want);
        free(got);
        posture_answers_free(c);

        /* and json -> json through the file writer */
        const char *jp = tmp_path("rt.json");
        assert_int_equal(posture_answers_write_json(a, jp), 0);
        posture_answers *j = load(jp, "");
        got = posture_answers_to_json(j);
        same_text("json -> json", got, want);
        free(got);
        posture_answers_free(j);

        posture_diags_free(w);
        posture_answers_free(a);
        free(want);
        free(json);
    }
}

static char *slurp(const char *path, size_t *len)
{
    char *text = NULL;
    assert_int_equal(posture_read_file(path, 0, &text, len), 0);
    return text;
}

/*
 * The answers `a` as a workbook written by `posture report` reads them back: every action of
 * the template, unanswered ones with the defaults (G has no provider attestations), the
 * template named by id and version, control entries in template order.
 */
static char *effective_json(const posture_answers *a)
{
    posture_answers *e = NULL;
    assert_int_equal(posture_answers_new(&e), 0);
    const posture_template_info *ti = posture_template_info_get(G);
    assert_int_equal(posture_answers_set_template(e, ti->id, ti->version), 0);
    assert_int_equal(posture_answers_set_info(e, posture_answers_info(a)), 0);
    for (size_t c = 0; c < posture_template_control_count(G); c++) {
        const posture_control_scope *cs = posture_answers_for_control(a, c);
        if (cs && (!cs->applicable || cs->justification))
            assert_int_equal(posture_answers_add_control(e, cs), 0);
    }
    for (size_t i = 0; i < posture_template_action_count(G); i++) {
        const posture_answer *an = posture_answers_for_action(a, i);
        posture_answer def = {.action = posture_template_action(G, i)->id, .action_index = -1};
        assert_int_equal(posture_answers_add(e, an ? an : &def), 0);
    }
    char *json = posture_answers_to_json(e);
    posture_answers_free(e);
    return json;
}

static void report_workbooks_read_back(void **state)
{
    (void)state;
    posture_profile *p = NULL;
    assert_int_equal(posture_profile_open(POSTURE_PROFILE_DEFAULT, NULL, &p), 0);
    report_safe = 1;
    for (unsigned seed = 1; seed <= SEEDS / 2; seed++) {
        rng = 0xD1B54A32D192ED03ULL * seed;
        char *json = gen_answers();
        posture_answers *a = from_json(json);
        posture_result *r = NULL;
        assert_int_equal(posture_score(G, a, p, &r), 0);
        posture_diags *w = NULL;
        assert_int_equal(posture_diags_new(&w), 0);
        posture_xlsx_options xo = {1763632800, w};
        const char *path = tmp_path("report.xlsx");
        assert_int_equal(posture_report_xlsx_write(r, &xo, path), 0);
        assert_diags(w, "");
        posture_answers *b = load(path, "");
        char *got = posture_answers_to_json(b), *want = effective_json(a);
        same_text("json -> report.xlsx -> json", got, want);
        free(got);
        free(want);
        posture_answers_free(b);
        posture_diags_free(w);
        posture_result_free(r);
        posture_answers_free(a);
        free(json);
    }
    report_safe = 0;
    posture_profile_free(p);
}

static void workbooks_are_reproducible(void **state)
{
    (void)state;
    rng = 42;
    char *json = gen_answers();
    posture_answers *a = from_json(json);
    setenv("SOURCE_DATE_EPOCH", "1763632800", 1);
    const char *p1 = tmp_path("r1.xlsx"), *p2 = tmp_path("r2.xlsx");
    assert_int_equal(posture_answers_write_xlsx(a, G, NULL, p1), 0);
    assert_int_equal(posture_answers_write_xlsx(a, G, NULL, p2), 0);
    unsetenv("SOURCE_DATE_EPOCH");
    size_t l1, l2;
    char *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(b1, b2, l1);
    free(b1);
    free(b2);
    posture_answers_free(a);
    free(json);
}

/* Notes of `n` UTF-16 units written to a workbook: cut or not, and what comes back. */
static void cell_limit_case(size_t n, int cut)
{
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    char *notes = malloc(n * 4 + 1);
    size_t o = 0;
    for (size_t u = 0; u < n;) {
        if (n - u >= 2 && u % 3 == 0) {
            memcpy(notes + o, "\xF0\x9F\x98\x80", 4); /* 2 units */
            o += 4;
            u += 2;
        } else {
            notes[o++] = 'n';
            u++;
        }
    }
    notes[o] = '\0';
    posture_answer an = {.action = "act.gen.001", .notes = notes, .action_index = -1};
    assert_int_equal(posture_answers_add(a, &an), 0);
    assert_int_equal(posture_answers_resolve(a, G, NULL, NULL), 0);
    posture_diags *w = NULL;
    assert_int_equal(posture_diags_new(&w), 0);
    const char *p = tmp_path("limit.xlsx");
    assert_int_equal(posture_answers_write_xlsx(a, G, w, p), 0);
    char want[700] = "";
    if (cut)
        snprintf(want, sizeof want,
                 "posture: %s: sheet \"Improvement actions\" cell O3: warning: Notes of action "
                 "\"act.gen.001\" cut to Excel's cell limit of 32767 characters\n",
                 p);
    assert_diags(w, want);
    posture_answers *b = load(p, "");
    const char *back = posture_answers_for_action(b, 1)->notes;
    if (!cut) {
        assert_string_equal(back, notes);
    } else {
        static const char marker[] = " [\xE2\x80\xA6 cut at Excel's cell limit of 32767 characters]";
        assert_int_equal(units(back), 32767 - (units(back) < 32767)); /* a pair is never split */
        size_t bl = strlen(back), ml = strlen(marker);
        assert_true(bl > ml);
        assert_string_equal(back + bl - ml, marker);
        assert_memory_equal(back, notes, bl - ml);
    }
    posture_answers_free(b);
    posture_diags_free(w);
    posture_answers_free(a);
    free(notes);
}

static void the_cell_limit_cuts_with_a_marker_and_a_warning(void **state)
{
    (void)state;
    cell_limit_case(32767, 0);
    cell_limit_case(32768, 1);
    cell_limit_case(100000, 1);
}

static void blank_sheets_read_back_as_blank_answers(void **state)
{
    (void)state;
    posture_answers *blank = NULL;
    assert_int_equal(posture_answers_blank(G, "Blank", &blank), 0);
    assert_int_equal(posture_answers_count(blank), NACT);
    char *want = posture_answers_to_json(blank);
    const char *paths[] = {tmp_path("Blank.xlsx"), tmp_path("Blank.csv"), tmp_path("Blank.json")};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(posture_answers_write(blank, G, NULL, paths[i]), 0);
        posture_answers *b = load(paths[i], "");
        char *got = posture_answers_to_json(b);
        assert_string_equal(got, want);
        free(got);
        posture_answers_free(b);
    }
    free(want);
    posture_answers_free(blank);
}

static void blank_answers_start_from_provider_attestations(void **state)
{
    (void)state;
    const char *path = tu_write(
        "prov.json",
        "{\"format\": \"posture-template/1\", \"id\": \"prov\", \"version\": \"1.0.0\", \"title\": \"P\","
        " \"families\": [{\"id\": \"F\", \"title\": \"F\", \"controls\": [{\"id\": \"C\", \"title\": \"C\","
        "   \"actions\": [\"act.p\", \"act.c\"]}]}],"
        " \"actions\": [{\"id\": \"act.p\", \"title\": \"P\", \"type\": \"preventive\","
        "   \"enforcement\": \"mandatory\", \"implementation_type\": \"technical\", \"owner\": \"provider\","
        "   \"provider_status\": {\"implementation\": \"implemented\", \"test\": \"passed\","
        "   \"tested_at\": \"2026-01-15\"}},"
        "  {\"id\": \"act.c\", \"title\": \"C\", \"type\": \"detective\", \"enforcement\": \"mandatory\","
        "   \"implementation_type\": \"operational\", \"owner\": \"customer\"}]}");
    posture_diags *d = NULL;
    posture_template *t = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_template_load(NULL, path, 0, d, &t), 0);
    posture_diags_free(d);
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_blank(t, NULL, &a), 0);
    assert_answers(a, "{'format':'posture-answers/1','template':'prov','template_version':'1.0.0',"
                      "'assessment':{'name':'prov','organization':null,'scope':null,"
                      "'group':'default','assessed_at':null},'controls':[],'answers':["
                      "{'action':'act.p','implementation':'implemented','test':'passed',"
                      "'tested_at':'2026-01-15','assigned_to':null,'notes':null,'evidence':[]},"
                      "{'action':'act.c','implementation':'not_implemented','test':'not_assessed',"
                      "'tested_at':null,'assigned_to':null,'notes':null,'evidence':[]}]}");
    posture_answers_free(a);
    posture_template_free(t);
}

static void writing_a_workbook_needs_resolved_answers(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    assert_int_equal(posture_answers_write_xlsx(a, G, NULL, tmp_path("x.xlsx")), POSTURE_EUSAGE);
    assert_int_equal(posture_answers_resolve(a, G, NULL, NULL), 0);
    assert_int_equal(posture_answers_write_xlsx(a, G, NULL, "-"), POSTURE_EUSAGE);
    assert_string_equal(posture_error_last(), "cannot write a workbook to standard output");
    assert_int_equal(posture_answers_write_xlsx(a, G, NULL, "/nonexistent-dir/x.xlsx"),
                     POSTURE_EIO);
    assert_int_equal(posture_answers_write(a, G, NULL, "x.txt"), POSTURE_EINVALID);
    assert_string_equal(posture_error_last(), "unsupported answers format \".txt\"");
    posture_answers_free(a);
}

static int setup(void **state)
{
    (void)state;
    make_template();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    posture_template_free(G);
    tu_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_csv_xlsx_json),
        cmocka_unit_test(report_workbooks_read_back),
        cmocka_unit_test(workbooks_are_reproducible),
        cmocka_unit_test(the_cell_limit_cuts_with_a_marker_and_a_warning),
        cmocka_unit_test(blank_sheets_read_back_as_blank_answers),
        cmocka_unit_test(blank_answers_start_from_provider_attestations),
        cmocka_unit_test(writing_a_workbook_needs_resolved_answers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
