"""The only writers of phishing data: reports (`reports`), the report mailbox (`mailbox`),
simulations (`simulations`) and their events (`events`)."""
