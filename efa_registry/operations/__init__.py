"""What an operator watches: the figures behind ``/metrics`` that only the database knows."""
