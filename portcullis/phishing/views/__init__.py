"""Pages: reported e-mails (`reports`), simulations (`simulations`), landing pages (`landing`)."""
