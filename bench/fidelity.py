#!/usr/bin/env python3
"""How close PixelPerf's output is to Pillow's for the same pipeline.

    fidelity.py PIXELPERF_CLI IN_DIR [--count N] [--preset NAME] [-- extra run options]

Runs `pixelperf-cli run` (default preset optimized) and the same stages with
Pillow (full decode, Lanczos, GaussianBlur(2), Sharpness 2.0, Contrast 1.5,
Brightness 1.2), both saved at JPEG quality 100 so the encoder adds little,
and prints the PSNR of each image against Pillow's and their mean and minimum.
The product asks for "well above 30 dB on photos".
"""
import math
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageChops, ImageEnhance, ImageFilter, ImageStat

SIZE = (800, 600)


def pillow(path):
    img = Image.open(path).convert("RGB")
    img = img.resize(SIZE, Image.LANCZOS)
    img = img.filter(ImageFilter.GaussianBlur(2))
    img = ImageEnhance.Sharpness(img).enhance(2.0)
    img = ImageEnhance.Contrast(img).enhance(1.5)
    return ImageEnhance.Brightness(img).enhance(1.2)


def psnr(a, b):
    diff = ImageChops.difference(a, b)
    sq = ImageStat.Stat(diff).sum2
    mse = sum(sq) / (a.size[0] * a.size[1] * 3)
    return float("inf") if mse == 0 else 10 * math.log10(255 * 255 / mse)


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    cli, in_dir = args[0], args[1]
    count = int(args[args.index("--count") + 1]) if "--count" in args else 8
    preset = args[args.index("--preset") + 1] if "--preset" in args else "optimized"
    files = sorted(f for f in os.listdir(in_dir) if f.lower().endswith((".jpg", ".jpeg")))[:count]
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in"), os.path.join(tmp, "out")
        os.makedirs(src)
        for f in files:
            os.symlink(os.path.abspath(os.path.join(in_dir, f)), os.path.join(src, f))
        subprocess.run([cli, "run", src, "-o", out, "--preset", preset, "--quality", "100",
                        "--on", "balanced-quality", "--quiet"] + extra, check=True)
        values = []
        for f in files:
            ours = Image.open(os.path.join(out, "processed_" + f)).convert("RGB")
            values.append(psnr(ours, pillow(os.path.join(in_dir, f))))
            print(f"{f:32} {values[-1]:6.2f} dB")
    print(f"PSNR against Pillow ({preset}, {len(values)} images): mean {sum(values) / len(values):.2f} dB, "
          f"min {min(values):.2f} dB")


if __name__ == "__main__":
    main()
