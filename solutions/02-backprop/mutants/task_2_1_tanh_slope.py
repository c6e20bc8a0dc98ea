# Task 2.1: tanh passes back 1 - tanh(x) instead of 1 - tanh(x)^2
def _tanh_wrong(self):
    out = Value(math.tanh(self.data), (self,), "tanh")

    def push():
        self.grad += (1.0 - out.data) * out.grad

    out.backward_local = push
    return out


Value.tanh = _tanh_wrong
