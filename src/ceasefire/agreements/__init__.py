"""The agreements the committee oversees: their provisions and the rival readings of them."""
