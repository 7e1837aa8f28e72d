"""Signals accounts sends for the apps above it, which it must not import."""

from django.dispatch import Signal

# The directory changed in bulk (people, posts, offices), in the current transaction: sent by the
# writers whose bulk or queryset updates send no `post_save`. Argument: `person_ids`.
directory_changed = Signal()
