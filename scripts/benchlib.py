"""What the benchmark scripts share: counting SQL queries and printing ratios."""


class QueryCounter:
    """A database execute wrapper (``connection.execute_wrapper``) that counts queries."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def ratio(numerator, denominator):
    return f"{numerator / denominator:.1f}×" if denominator else "—"
