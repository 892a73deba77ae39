"""Access: tokens, principals and the authorisation table."""
