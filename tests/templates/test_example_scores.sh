#!/usr/bin/env bash
# Every example assessment in assessments/ scores to its recorded value under both profiles.
. "$SRC/tests/cli/lib.sh"
check() { # ANSWERS TEMPLATE PROFILE EXPECTED-LINE
  run --templates "$SRC/templates" --templates "$SRC/assessments" score --template "$2" --answers "$SRC/assessments/$1" --profile "$3"
  expect_rc 0
  expect_stdout_contains "$4"
}
check northwind-2026.answers.json saas-security-baseline compliance-manager "Score: 72.87% (231 of 317 points)"
check soc2-startup.json soc2-2017 compliance-manager "Score: 80.09% (1066 of 1331 points)"
check soc2-startup.json soc2-2017 self-attested "Score: 89.14% (1186.5 of 1331 points)"
check iso-22301-bank.json iso-22301-2019 compliance-manager "Score: 67.93% (557 of 820 points)"
check iso-22301-bank.json iso-22301-2019 self-attested "Score: 80.06% (656.5 of 820 points)"
check iso-iec-27701-saas-processor.json iso-iec-27701-2019 compliance-manager "Score: 81.11% (1717 of 2117 points)"
check iso-iec-27701-saas-processor.json iso-iec-27701-2019 self-attested "Score: 87.91% (1861 of 2117 points)"
check litware-iso27001-2022.json iso-iec-27001-2022 compliance-manager "Score: 94.94% (1519 of 1600 points)"
check litware-iso27001-2022.json iso-iec-27001-2022 self-attested "Score: 95.88% (1534 of 1600 points)"
check litware-gdpr.json gdpr-2016-679 compliance-manager "Score: 92.86% (1106 of 1191 points)"
check litware-gdpr.json gdpr-2016-679 self-attested "Score: 94.16% (1121.5 of 1191 points)"
check litware-nis2.json nis2-2022-2555 compliance-manager "Score: 87.65% (1008 of 1150 points)"
check litware-nis2.json nis2-2022-2555 self-attested "Score: 90.30% (1038.5 of 1150 points)"
finish
