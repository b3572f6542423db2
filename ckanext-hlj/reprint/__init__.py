"""Reprint checks (issue 6): did department and city/county sites reprint the State Council's and the province's
important policy items promptly and fully? Pure matching library (no CKAN, no database): ``normalise`` (titles,
文号, shingles, body fingerprints), ``matcher`` (indexed and naive matching, verdicts) and ``offline`` (CSV in,
CSV out)."""

# Tags that scope a watched item to some sites (转载范围-230100, 转载范围-city_county, 转载范围-<organisation name>).
# They are a supervisor's: the site harvester keeps them when it rewrites a record's tags.
SCOPE_TAG = "转载范围-"
