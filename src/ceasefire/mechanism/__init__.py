"""The committee itself: parties, seats, members, meetings, decisions and action items."""
