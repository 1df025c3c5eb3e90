"""Gateway benchmarks: demo seeding, intake through the API vs raw inserts, queue queries."""
