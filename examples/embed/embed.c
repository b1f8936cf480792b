/*
 * embed.c - posture as a library: load a template and answers, score them
 * under the default profile and print the percent.
 *
 *   cc embed.c -o embed $(pkg-config --cflags --libs libcjson) -lposture ...
 *   ./embed TEMPLATE.json ANSWERS.json
 */
#include <posture.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s TEMPLATE.json ANSWERS.json\n", argv[0]);
        return 2;
    }
    int code = 1;
    posture_diags *diags = NULL;
    posture_template *tpl = NULL;
    posture_answers *answers = NULL;
    posture_profile *profile = NULL;
    posture_result *result = NULL;

    if (posture_diags_new(&diags) != 0 ||
        posture_template_load(NULL, argv[1], 0, diags, &tpl) != 0 ||
        posture_answers_load_json(argv[2], tpl, diags, &answers) != 0 ||
        posture_profile_open(POSTURE_PROFILE_DEFAULT, diags, &profile) != 0 ||
        posture_score(tpl, answers, profile, &result) != 0) {
        for (size_t i = 0; i < posture_diags_count(diags); i++) {
            char *msg = posture_diag_format(posture_diags_get(diags, i));
            fprintf(stderr, "embed: %s\n", msg ? msg : "out of memory");
            free(msg);
        }
        if (posture_diags_count(diags) == 0)
            fprintf(stderr, "embed: %s\n", posture_error_last());
        goto done;
    }

    const posture_points *total = posture_result_total(result);
    char achieved[32], possible[32], percent[32];
    posture_format_x100(total->achieved_x100, achieved);
    posture_format_x100(total->possible_x100, possible);
    if (total->has_percent)
        posture_format_x100(total->percent_x100, percent);
    printf("%s: %s%s (%s of %s points)\n", posture_template_info_get(tpl)->id,
           total->has_percent ? percent : "n/a", total->has_percent ? "%" : "", achieved, possible);
    code = 0;
done:
    posture_result_free(result);
    posture_profile_free(profile);
    posture_answers_free(answers);
    posture_template_free(tpl);
    posture_diags_free(diags);
    return code;
}
