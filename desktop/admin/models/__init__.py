"""Qt item models of the admin's screens, one module each."""
