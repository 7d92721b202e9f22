"""Sample files for admins (``python -m resources.samples.users_sample`` writes the user workbook)."""
