"""The customer service screens: the order page (everything about one order, and what an agent
does to it), and the customer page (every order of one person across channels)."""
