# Task 2.1: multiplication sets the parents' grad instead of adding to it, so a value used twice keeps one contribution
def _mul_overwriting(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")

    def push():
        self.grad = other.data * out.grad
        other.grad = self.data * out.grad

    out.backward_local = push
    return out


Value.__mul__ = _mul_overwriting
