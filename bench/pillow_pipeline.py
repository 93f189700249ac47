#!/usr/bin/env python3
"""The Python demo's pipeline with Pillow, for the peer benchmark.

    pillow_pipeline.py IN_DIR OUT_DIR [--optimized] [--jobs N]

Baseline: sequential, nearest-neighbour resize, JPEG quality 95.
Optimized (what the demo's optimized version did): a process pool of N
workers, Lanczos resize, quality 80. Same stages and factors as PixelPerf.
"""
import os
import sys
import time
from multiprocessing import Pool

from PIL import Image, ImageEnhance, ImageFilter

SIZE = (800, 600)


def process(args):
    path, out_dir, optimized = args
    img = Image.open(path).convert("RGB")
    img = img.resize(SIZE, Image.LANCZOS if optimized else Image.NEAREST)
    img = img.filter(ImageFilter.GaussianBlur(2))
    img = ImageEnhance.Sharpness(img).enhance(2.0)
    img = ImageEnhance.Contrast(img).enhance(1.5)
    img = ImageEnhance.Brightness(img).enhance(1.2)
    img.save(os.path.join(out_dir, "processed_" + os.path.basename(path)), quality=80 if optimized else 95)
    return 1


def main():
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    optimized = "--optimized" in sys.argv
    jobs = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 2
    os.makedirs(out_dir, exist_ok=True)
    files = sorted(os.path.join(in_dir, f) for f in os.listdir(in_dir) if f.lower().endswith((".jpg", ".jpeg")))
    t0 = time.perf_counter()
    work = [(f, out_dir, optimized) for f in files]
    if optimized:
        with Pool(jobs) as pool:
            done = sum(pool.map(process, work))
    else:
        done = sum(map(process, work))
    secs = time.perf_counter() - t0
    print(f"{done} images in {secs:.3f} s: {done / secs:.2f} images/s")


if __name__ == "__main__":
    main()
