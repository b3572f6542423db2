"""The openness scoreboard (issue 7, supervisors): per department and region, how timely, complete and in step the
openness work is — deadline timeliness, reprint coverage, interpretations in step with their documents and directory
completeness — weighted into one documented score, by month, with the items behind every number."""
