"""`make regress`: regressions as data (regressions/*.yaml), one directory per
job, a launcher seam (local process pool now), merged results and coverage,
failure buckets and an HTML report in build/regress/<name>/."""
