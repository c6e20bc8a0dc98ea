# Task 4.4: uses the batch's statistics in evaluation mode too
_BatchNorm2d_right = BatchNorm2d


class BatchNorm2d(_BatchNorm2d_right):
    def forward(self, x):
        was_training = self.training
        self.training = True
        running = self.running_mean.clone(), self.running_var.clone()
        out = super().forward(x)
        if not was_training:
            self.running_mean.copy_(running[0])
            self.running_var.copy_(running[1])
        self.training = was_training
        return out
