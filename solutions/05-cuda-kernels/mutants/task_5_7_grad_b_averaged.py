# Task 5.7: divides dL/dB by the batch size, as if the backward had to average over the rows of A
class KernelMatmul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return torch.from_numpy(matmul(a.detach().numpy(), b.detach().numpy()))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        g = grad.detach().numpy()
        grad_a = matmul(g, transpose(b.detach().numpy()))
        grad_b = matmul(transpose(a.detach().numpy()), g) / a.shape[0]
        return torch.from_numpy(grad_a), torch.from_numpy(grad_b)
