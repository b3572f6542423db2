"""Reprint checks (issue 6): did department and city/county sites reprint the State Council's and the province's
important policy items promptly and fully? Pure matching library (no CKAN, no database): ``normalise`` (titles,
文号, shingles, body fingerprints), ``matcher`` (indexed and naive matching, verdicts) and ``offline`` (CSV in,
CSV out)."""
