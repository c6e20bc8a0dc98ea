"""Chapter 10 (generative models) on the built site: its figures, the numbers it measures, the
anchor it prints, and its link to Lab 10. The numbers come from the page's own runs, so the
checks are ranges a correct run lands in, not exact values."""

from __future__ import annotations

import re

import pytest

from leaks import html_text, squeeze

pytestmark = pytest.mark.slow
PAGE = "book/10-generative-models.html"


def page_text(built_site) -> str:
    return squeeze(html_text(built_site / PAGE)).replace("\u2019", "'")


def number(pattern: str, text: str) -> list[float]:
    found = re.search(pattern, text)
    assert found, f"chapter 10 lacks {pattern!r}"
    return [float(g) for g in found.groups()]


def test_chapter_10_shows_its_figures(built_site):
    html = (built_site / PAGE).read_text()
    assert html.count("<img alt=") >= 10, "chapter 10: figures are missing"
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
        assert (built_site / "book" / src).resolve().is_file(), f"chapter 10: broken image {src}"
    assert "generative_models.ipynb" in html, "chapter 10 does not link its lab"


def test_autoencoder_numbers(built_site):
    text = page_text(built_site)
    (angle,) = number(r"subspace and PCA's is at most ([\d.]+)° in all three seeds", text)
    assert angle < 0.5, f"the linear autoencoder's subspace is {angle} degrees from PCA's"
    (median_cosine,) = number(r"closest to it has median ([\d.]+)", text)
    assert median_cosine < 0.95, "the learned directions should not be the principal components themselves"
    noisy, plain, denoising = number(r"The noise costs ([\d.]+) .*? brings it down to ([\d.]+) .*? autoencoder reaches ([\d.]+)", text)
    assert denoising < plain < noisy


def test_vae_elbo_and_its_anchor(built_site):
    text = page_text(built_site)
    (nelbo,) = number(r"20-number VAE's negative ELBO is ([\d.]+) nats per digit", text)
    assert 35 < nelbo < 90, f"held-out negative ELBO {nelbo} nats on 16x16 digits"
    assert "106.66" in text and "pytorch/examples" in text and "784 pixels" in text, "the anchor and what differs"
    assert "KL by the closed form 2.570000, torch.distributions 2.570000" in text


def test_gan_gradients_and_mode_counts(built_site):
    text = page_text(built_site)
    assert "-0.0010 back to the generator and the non-saturating loss one of -0.9990: 999 times stronger" in text
    modes = number(r"the three seeds cover (\d), (\d), (\d) of the 8 modes", text)
    assert all(0 <= m <= 8 for m in modes)
    (diffusion_modes,) = number(r"The diffusion model covers (\d) of the 8 modes", text)
    assert diffusion_modes >= 6
    assert "sum 4.0544" in text, "the zero-sum check of the non-saturating loss"


def test_guidance_and_latent_diffusion_deliver_the_class(built_site):
    text = page_text(built_site)
    (unconditional,) = number(r"Unconditionally \(\\\(w = -1\\\)\), (\d+)% of the samples", text)
    assert unconditional < 25, "unconditional samples are the digit asked for about 10% of the time"
    (conditional,) = number(r"delivers the digit asked for in ([\d.]+) \(", text)
    assert conditional > 80
    (latent,) = number(r"asked for a digit, it delivers it in ([\d.]+) \(", text)
    assert latent > 70
    for marker in ["seed 0 at w = 0 without clipping", "Ho et al.'s code clips the implied"]:
        assert marker in text
