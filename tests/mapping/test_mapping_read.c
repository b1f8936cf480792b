/* test_mapping_read.c - OSCAL mapping collections: what the reader keeps, every problem at its
 * place with its exact message, the shipped collections, and the library of a search path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define NS "\"ns\": \"https://posture.example/ns/oscal\""
#define RES(ref) "{\"type\": \"posture-template\", \"href\": \"x.json\", \"props\": [{\"name\": \"template\", " NS ", \"value\": \"" ref "\"}]}"
#define UUID1 "00000000-0000-4000-8000-000000000001"
#define UUID2 "00000000-0000-4000-8000-000000000002"
#define UUID3 "00000000-0000-4000-8000-000000000003"
#define META "\"metadata\": {\"title\": \"T\", \"last-modified\": \"2026-12-06T00:00:00Z\", \"version\": \"1.0.0\", \"oscal-version\": \"1.2.1\"}"
#define PROV "\"provenance\": {\"method\": \"human\", \"matching-rationale\": \"semantic\", \"status\": \"complete\", \"mapping-description\": \"d\"}"
#define MAP(rel) "{\"uuid\": \"" UUID3 "\", \"relationship\": \"" rel "\", \"sources\": [{\"type\": \"control\", \"id-ref\": \"A1\"}], \"targets\": [{\"type\": \"control\", \"id-ref\": \"B1\"}, {\"type\": \"control\", \"id-ref\": \"B2\"}], \"remarks\": \"why\"}"
#define COLL(mappings) "{\"mapping-collection\": {\"uuid\": \"" UUID1 "\", " META ", " PROV ", \"mappings\": " mappings "}}"
#define MAPPING(src, tgt, maps) "{\"uuid\": \"" UUID2 "\", \"source-resource\": " src ", \"target-resource\": " tgt ", \"maps\": [" maps "]}"

static posture_mapping_collection *parse(const char *text, posture_diags *d, int *rc)
{
    posture_mapping_collection *c = NULL;
    *rc = posture_mapping_parse(text, strlen(text), "m.json", d, &c);
    return c;
}

static void test_good(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    int rc;
    /* `mappings` as one object (OSCAL allows it) */
    posture_mapping_collection *c =
        parse(COLL(MAPPING(RES("a@1.0.0"), RES("b-2@10.2.3"), MAP("subset-of"))), d, &rc);
    assert_int_equal(rc, 0);
    assert_diags(d, "");
    const posture_mapping_info *in = posture_mapping_info_get(c);
    assert_string_equal(in->name, "m.json");
    assert_string_equal(in->uuid, UUID1);
    assert_string_equal(in->title, "T");
    assert_string_equal(in->method, "human");
    assert_string_equal(in->matching_rationale, "semantic");
    assert_null(in->kind);
    assert_int_equal(posture_mapping_set_count(c), 1);
    const posture_mapping_set *s = posture_mapping_set_get(c, 0);
    assert_string_equal(s->source, "a@1.0.0");
    assert_string_equal(s->source_id, "a");
    assert_string_equal(s->target_version, "10.2.3");
    assert_string_equal(s->target_id, "b-2");
    assert_string_equal(s->place, "/mapping-collection/mappings");
    assert_int_equal(s->nmaps, 1);
    assert_int_equal(s->maps[0].relation, POSTURE_REL_SUBSET_OF);
    assert_int_equal(s->maps[0].nsources, 1);
    assert_int_equal(s->maps[0].ntargets, 2);
    assert_string_equal(s->maps[0].targets[1], "B2");
    assert_string_equal(s->maps[0].remarks, "why");
    assert_string_equal(s->maps[0].place, "/mapping-collection/mappings/maps/0");
    posture_mapping_free(c);

    assert_int_equal(posture_relation_inverse(POSTURE_REL_SUBSET_OF), POSTURE_REL_SUPERSET_OF);
    assert_int_equal(posture_relation_inverse(POSTURE_REL_SUPERSET_OF), POSTURE_REL_SUBSET_OF);
    assert_int_equal(posture_relation_inverse(POSTURE_REL_INTERSECTS_WITH),
                     POSTURE_REL_INTERSECTS_WITH);
    posture_relation r;
    assert_int_equal(posture_relation_parse("equal-to", &r), 0);
    assert_int_equal(r, POSTURE_REL_EQUAL_TO);
    assert_int_equal(posture_relation_parse("equal", &r), -1);
    assert_string_equal(posture_relation_token(POSTURE_REL_EQUIVALENT_TO), "equivalent-to");
    posture_diags_free(d);
}

static void expect(const char *text, int want_rc, const char *want)
{
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    int rc;
    posture_mapping_collection *c = parse(text, d, &rc);
    assert_int_equal(rc, want_rc);
    assert_true((c != NULL) == (want_rc == 0));
    assert_diags(d, want);
    posture_mapping_free(c);
    posture_diags_free(d);
}

static void test_bad(void **state)
{
    (void)state;
    expect("{\"catalog\": {}}", POSTURE_EINVALID,
           "posture: m.json: /: missing required field \"mapping-collection\"\n");
    expect("{\"mapping-collection\": {\"uuid\": \"x\", \"metadata\": {\"title\": \"\", "
           "\"oscal-version\": \"2.0.0\"}, \"provenance\": {\"method\": \"robot\"}, "
           "\"mappings\": []}}",
           POSTURE_EINVALID,
           "posture: m.json: /mapping-collection/uuid: invalid UUID \"x\"\n"
           "posture: m.json: /mapping-collection/metadata/title: must not be empty\n"
           "posture: m.json: /mapping-collection/metadata: missing required field "
           "\"last-modified\"\n"
           "posture: m.json: /mapping-collection/metadata: missing required field \"version\"\n"
           "posture: m.json: /mapping-collection/metadata/oscal-version: OSCAL version \"2.0.0\": "
           "posture reads OSCAL 1.x\n"
           "posture: m.json: /mapping-collection/provenance/method: unknown method \"robot\"; "
           "expected one of: human, automation, hybrid\n"
           "posture: m.json: /mapping-collection/provenance: missing required field "
           "\"matching-rationale\"\n"
           "posture: m.json: /mapping-collection/provenance: missing required field \"status\"\n"
           "posture: m.json: /mapping-collection/provenance: missing required field "
           "\"mapping-description\"\n"
           "posture: m.json: /mapping-collection/mappings: must not be empty\n");
    expect(COLL("[" MAPPING("{\"type\": \"catalog\", \"href\": \"c.json\"}",
                            RES("B@1.0"), MAP("same-as")) "]"),
           POSTURE_EINVALID,
           "posture: m.json: /mapping-collection/mappings/0/source-resource: expected a prop "
           "\"template\" (ns https://posture.example/ns/oscal) naming the template as "
           "ID@VERSION\n"
           "posture: m.json: /mapping-collection/mappings/0/target-resource: prop \"template\": "
           "expected ID@VERSION (\"soc2-2017@1.0.1\"), got \"B@1.0\"\n"
           "posture: m.json: /mapping-collection/mappings/0/maps/0/relationship: unknown "
           "relationship \"same-as\"; expected one of: equivalent-to, equal-to, subset-of, "
           "superset-of, intersects-with\n");
    expect(COLL("[" MAPPING(RES("a@1.0.0"), RES("b@1.0.0"),
                            "{\"uuid\": \"" UUID3 "\", \"ns\": \"https://example.org/rel\", "
                            "\"relationship\": \"equal-to\", \"sources\": [], \"targets\": "
                            "[{\"type\": \"statement\", \"id-ref\": \"b1_smt\"}], "
                            "\"colour\": 1}") "]"),
           POSTURE_EINVALID,
           "posture: m.json: /mapping-collection/mappings/0/maps/0/ns: relationship namespace "
           "\"https://example.org/rel\": posture reads the OSCAL relationships only (no ns, or "
           "http://csrc.nist.gov/ns/oscal)\n"
           "posture: m.json: /mapping-collection/mappings/0/maps/0/sources: must not be empty\n"
           "posture: m.json: /mapping-collection/mappings/0/maps/0/targets/0/type: type "
           "\"statement\": posture maps controls only (type \"control\")\n"
           "posture: m.json: /mapping-collection/mappings/0/maps/0/colour: warning: unknown "
           "field \"colour\"\n");
    expect("{\"mapping-collection\": ", POSTURE_ESYNTAX,
           "posture: m.json: 1:23: syntax error: unexpected end of file\n");
}

static void test_shipped(void **state)
{
    (void)state;
    static const struct {
        const char *file, *source, *target;
        size_t maps;
    } want[] = {
        {"iso-iec-27001-2013-to-iso-iec-27001-2022.json", "iso-iec-27001-2013@2.0.0",
         "iso-iec-27001-2022@2.0.0", 144},
        {"iso-iec-27001-2022-1.0.0-to-2.0.0.json", "iso-iec-27001-2022@1.0.0",
         "iso-iec-27001-2022@2.0.0", 93},
        {"nist-csf-2.0-to-iso-iec-27001-2022.json", "nist-csf-2.0@1.0.0",
         "iso-iec-27001-2022@2.0.0", 341},
        {"nist-sp-800-53-rev5-to-iso-iec-27001-2022.json", "nist-sp-800-53-rev5-moderate@5.1.1",
         "iso-iec-27001-2022@2.0.0", 494},
        {"soc2-2017-to-iso-iec-27001-2022.json", "soc2-2017@1.0.1", "iso-iec-27001-2022@2.0.0",
         143},
    };
    posture_mapping_library *lib = NULL;
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_mapping_library_new(&lib), 0);
    assert_int_equal(posture_mapping_library_add_dir(lib, POSTURE_SOURCE_DIR "/templates/mappings",
                                                     d), 0);
    /* the same directory again: every collection is held once (by uuid) */
    assert_int_equal(posture_mapping_library_add_dir(lib, POSTURE_SOURCE_DIR "/templates/mappings",
                                                     d), 0);
    assert_diags(d, "");
    assert_int_equal(posture_mapping_library_count(lib), 5);
    for (size_t i = 0; i < 5; i++) {
        const posture_mapping_collection *c = posture_mapping_library_get(lib, i);
        const posture_mapping_set *s = posture_mapping_set_get(c, 0);
        assert_string_equal(posture_mapping_info_get(c)->name, want[i].file);
        assert_string_equal(s->source, want[i].source);
        assert_string_equal(s->target, want[i].target);
        assert_int_equal(s->nmaps, want[i].maps);
    }
    assert_string_equal(posture_mapping_info_get(posture_mapping_library_get(lib, 1))->kind,
                        "template-upgrade");
    assert_int_equal(posture_mapping_library_add_dir(lib, "/nonexistent/mappings", d),
                     POSTURE_ENOTFOUND);
    posture_mapping_library_free(lib);
    posture_diags_free(d);
}

static void test_library_bad_file(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/maps", tu_tmpdir());
    mkdir(dir, 0700);
    tu_write("maps/a.json", COLL("[" MAPPING(RES("a@1.0.0"), RES("b@1.0.0"),
                                             MAP("equal-to")) "]"));
    tu_write("maps/b.json", "{\"mapping-collection\": {}}");
    posture_mapping_library *lib = NULL;
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_mapping_library_new(&lib), 0);
    assert_int_equal(posture_mapping_library_add_dir(lib, dir, d), POSTURE_EINVALID);
    assert_int_equal(posture_mapping_library_count(lib), 0); /* all or nothing */
    assert_true(posture_diags_errors(d) == 4);
    posture_mapping_library_free(lib);
    posture_diags_free(d);
}

static void test_check(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_template *a = NULL, *b = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_template_load(NULL, POSTURE_SOURCE_DIR "/tests/coverage/fixtures/a.json",
                                           0, d, &a), 0);
    assert_int_equal(posture_template_load(NULL, POSTURE_SOURCE_DIR "/tests/coverage/fixtures/t.json",
                                           0, d, &b), 0);
    int rc;
    posture_mapping_collection *c = parse(
        COLL("[" MAPPING(RES("cov-a@1.0.0"), RES("cov-t@2.0.0"), MAP("equal-to")) "]"), d, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(posture_mapping_check(c, 0, a, b, POSTURE_SEV_ERROR, d), 2);
    assert_diags(d, "posture: m.json: /mapping-collection/mappings/0/maps/0/targets/0/id-ref: no "
                    "control \"B1\" in cov-t@2.0.0\n"
                    "posture: m.json: /mapping-collection/mappings/0/maps/0/targets/1/id-ref: no "
                    "control \"B2\" in cov-t@2.0.0\n");
    posture_mapping_free(c);
    posture_template_free(a);
    posture_template_free(b);
    posture_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_library_bad_file),
        cmocka_unit_test(test_check),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
