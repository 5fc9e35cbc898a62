"""What other apps may follow in a membership's life without members/ knowing them."""

from django.dispatch import Signal

# Sent inside the transaction that ends a membership (withdrawn, expelled, group dissolved),
# with `membership` (its left_on set): a receiver's change commits or rolls back with it.
membership_ended = Signal()
