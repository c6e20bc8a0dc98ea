# Task 4.4: updates running_var with the biased batch variance, and momentum on the wrong side
_BatchNorm2d_right = BatchNorm2d


class BatchNorm2d(_BatchNorm2d_right):
    def forward(self, x):
        if not self.training:
            return super().forward(x)
        mean, var = x.mean(dim=(0, 2, 3)), x.var(dim=(0, 2, 3), unbiased=False)
        with torch.no_grad():
            self.running_mean.mul_(self.momentum).add_((1 - self.momentum) * mean)
            self.running_var.mul_(self.momentum).add_((1 - self.momentum) * var)
        shape = (1, -1, 1, 1)
        return self.weight.view(shape) * (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps) + self.bias.view(shape)
