"""The course's CUDA checker finds what numba's simulator lets through, every time, and says where."""

from __future__ import annotations

import numpy as np
import pytest

import cuda_kernels as k
from course.cuda_check import BarrierError, OutOfBoundsError, RaceError, UninitialisedReadError, run_checked
from course.gpu import KernelCrashed, KernelTimeout, launch


def _x(n: int = 64) -> np.ndarray:
    return np.arange(n, dtype=np.float32)


def test_correct_kernels_pass_and_agree_with_numbas_simulator():
    x = _x(100)
    for runner in (lambda *a: run_checked(*a), lambda *a: run_checked(*a, checks=False),
                   lambda kern, g, b, *a: kern[g, b](*a), launch):
        out = np.zeros_like(x)
        runner(k.scale, 4, 32, x, out)
        assert np.array_equal(out, 2 * x)
    out = np.zeros_like(_x())
    run_checked(k.reverse_block, 2, k.THREADS, _x(), out)
    assert np.array_equal(out, np.concatenate([_x()[:32][::-1], _x()[32:][::-1]]))


def test_out_of_bounds_names_thread_index_and_line():
    with pytest.raises(OutOfBoundsError) as error:
        run_checked(k.scale_unguarded, 4, 32, _x(100), np.zeros(100, np.float32))
    message = str(error.value)
    assert "x[127]" in message and "thread (31, 0, 0) of block (3, 0, 0)" in message and "out[i] = 2 * x[i]" in message


def test_negative_index_is_out_of_bounds_not_wraparound():
    with pytest.raises(OutOfBoundsError, match=r"x\[-1\]"):
        run_checked(k.shift_left, 1, 32, _x(32), np.zeros(32, np.float32))


@pytest.mark.parametrize("attempt", range(5))
def test_missing_barrier_is_found_every_time(attempt):
    with pytest.raises((RaceError, UninitialisedReadError)) as error:
        run_checked(k.reverse_block_no_barrier, 2, k.THREADS, _x(), np.zeros(64, np.float32))
    assert "buffer[" in str(error.value) and "thread" in str(error.value)


def test_write_after_read_without_barrier_is_a_race():
    with pytest.raises(RaceError, match=r"race on buffer\[\d+\].*read it.*writes it.*barrier is missing"):
        run_checked(k.overwrite_after_read, 1, k.THREADS, _x(32), np.zeros(32, np.float32))


def test_blocks_racing_on_one_element_and_atomics():
    x = _x(64)
    with pytest.raises(RaceError, match=r"race on total\[0\]"):
        run_checked(k.total_racy, 2, 32, x, np.zeros(1, np.float32))
    total = np.zeros(1, np.float32)
    run_checked(k.total_atomic, 2, 32, x, total)
    assert total[0] == x.sum()


def test_barrier_not_reached_by_every_thread():
    with pytest.raises(BarrierError, match="every thread of a block must reach"):
        run_checked(k.barrier_inside_branch, 1, k.THREADS, _x(32), np.zeros(32, np.float32))


def test_a_hung_kernel_is_stopped_and_a_crash_is_reported():
    with pytest.raises(KernelTimeout, match="did not finish within 2 s"):
        launch(k.spin, 1, 1, _x(1), timeout=2, check=True)
    with pytest.raises(KernelCrashed, match="exit code 3"):
        launch(k.crash, 1, 32, _x(1), check=True)
    out = np.zeros(100, np.float32)  # the next launch is unaffected
    launch(k.scale, 4, 32, _x(100), out, check=True)
    assert np.array_equal(out, 2 * _x(100))


def test_launch_configuration_errors_are_clear():
    with pytest.raises(ValueError, match="at most 1024 threads"):
        run_checked(k.scale, 1, (64, 32), _x(), np.zeros(64, np.float32))
    with pytest.raises(ValueError, match="positive integers"):
        run_checked(k.scale, 0, 32, _x(), np.zeros(64, np.float32))
