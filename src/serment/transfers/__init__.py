"""Transfer letters between committees: the letter (PDF), the package of the member's
record and dated history (JSON), its import by the receiving committee, and the
acknowledgement that tells the sending side it was received."""
