"""The local playground page and its JSON endpoint."""
