#!/usr/bin/env python3
"""The Python demo's two programs with Pillow, for the peer benchmark.

    pillow_pipeline.py IN_DIR OUT_DIR [--optimized] [--jobs N]

The demo's own code is not in this repository: this is a port written from
its specification (docs: the seed-baseline and seed-optimized presets), the
programs PixelPerf's seed presets model, stage for stage.

Baseline (preset seed-baseline): one directory listing per extension (the
demo's get_image_files), a copy of the image before every transformation,
one image at a time, nearest-neighbour resize, JPEG quality 95, and every
image (decoded and processed) kept in a list until the run ends (no
cleanup).

Optimized (preset seed-optimized): one listing filtered by a set of
extensions, a process pool of N workers, no copies, Lanczos resize, quality
80, each image dropped after it is saved.

Both: Pillow's separable GaussianBlur(2), Sharpness 2.0, Contrast 1.5,
Brightness 1.2, converted to RGB and saved as processed_<name>.
"""
import os
import sys
import time
from multiprocessing import Pool

from PIL import Image, ImageEnhance, ImageFilter

SIZE = (800, 600)
EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")


def files_per_extension(in_dir):
    """The baseline's scan: a full listing of the folder for each extension."""
    files = []
    for ext in EXTENSIONS:
        files += [os.path.join(in_dir, f) for f in os.listdir(in_dir) if f.lower().endswith(ext)]
    return sorted(files)


def files_single_scan(in_dir):
    """The optimized scan: one listing, filtered by the set of extensions."""
    return sorted(os.path.join(in_dir, f) for f in os.listdir(in_dir) if f.lower().endswith(EXTENSIONS))


def transform(img, optimized):
    """The stages; the baseline copies its input before each one."""
    steps = [
        lambda i: i.resize(SIZE, Image.LANCZOS if optimized else Image.NEAREST),
        lambda i: i.filter(ImageFilter.GaussianBlur(2)),
        lambda i: ImageEnhance.Sharpness(i).enhance(2.0),
        lambda i: ImageEnhance.Contrast(i).enhance(1.5),
        lambda i: ImageEnhance.Brightness(i).enhance(1.2),
        lambda i: i.convert("RGB"),
    ]
    for step in steps:
        img = step(img if optimized else img.copy())
    return img


def output_path(out_dir, path):
    name = os.path.basename(path)
    if not name.lower().endswith((".jpg", ".jpeg", ".png", ".bmp")):
        name = os.path.splitext(name)[0] + ".png"
    return os.path.join(out_dir, "processed_" + name)


def process(args):
    path, out_dir, optimized = args
    decoded = Image.open(path).convert("RGB")
    img = transform(decoded, optimized)
    img.save(output_path(out_dir, path), quality=80 if optimized else 95)
    return decoded, img


def process_optimized(args):
    process(args)
    return 1


def main():
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    optimized = "--optimized" in sys.argv
    jobs = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 2
    os.makedirs(out_dir, exist_ok=True)
    t0 = time.perf_counter()
    if optimized:
        work = [(f, out_dir, True) for f in files_single_scan(in_dir)]
        with Pool(jobs) as pool:
            done = sum(pool.map(process_optimized, work))
    else:
        kept = [process((f, out_dir, False)) for f in files_per_extension(in_dir)]  # held to the end
        done = len(kept)
    secs = time.perf_counter() - t0
    print(f"{done} images in {secs:.3f} s: {done / secs:.2f} images/s")


if __name__ == "__main__":
    main()
