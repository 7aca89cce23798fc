"""The API documents of every door and the pages that show them."""
