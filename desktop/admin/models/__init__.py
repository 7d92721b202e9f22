"""Qt item models of the admin screens."""
