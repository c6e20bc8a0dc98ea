# Task 5.7: treats softmax as elementwise in the backward pass, y * (1 - y) * grad, dropping the cross terms
class KernelSoftmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.from_numpy(softmax(x.detach().numpy()))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (1 - y) * grad
