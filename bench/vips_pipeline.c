/* The same pipeline with libvips, for the peer benchmark.
 *
 *   pixelperf-bench-vips IN_DIR OUT_DIR [--thumbnail] [--png] [--threads N]
 *
 * load, resize to 800x600 (Lanczos-3), Gaussian blur sigma 2, Pillow-style
 * sharpen (3x3 smooth kernel, factor 2), contrast 1.5 around the mean luma,
 * brightness 1.2, save JPEG Q80 (a .png input: PNG, pngsave's defaults).
 * --thumbnail loads with vips_thumbnail, which shrinks on load. --png reads
 * the folder's .png files instead of its .jpg ones. Images are processed one
 * after another; libvips uses its own thread pool (--threads) inside each. */
#include <vips/vips.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int process(const char *in, const char *out, int thumbnail, int png)
{
    VipsImage *base = vips_image_new();
    VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(base), 16);
    int ret = -1;
    if (thumbnail) {
        if (vips_thumbnail(in, &t[1], 800, "height", 600, "size", VIPS_SIZE_FORCE, NULL))
            goto done;
    } else {
        if (!(t[0] = vips_image_new_from_file(in, "access", VIPS_ACCESS_SEQUENTIAL, NULL)))
            goto done;
        if (vips_resize(t[0], &t[1], 800.0 / t[0]->Xsize, "vscale", 600.0 / t[0]->Ysize, "kernel",
                        VIPS_KERNEL_LANCZOS3, NULL))
            goto done;
    }
    if (vips_gaussblur(t[1], &t[2], 2.0, NULL))
        goto done;
    /* Pillow's Sharpness: out = img*f + smooth*(1-f), smooth = [1 1 1;1 5 1;1 1 1]/13. */
    t[3] = vips_image_new_matrixv(3, 3, 1.0, 1.0, 1.0, 1.0, 5.0, 1.0, 1.0, 1.0, 1.0);
    vips_image_set_double(t[3], "scale", 13.0);
    if (vips_conv(t[2], &t[4], t[3], "precision", VIPS_PRECISION_INTEGER, NULL))
        goto done;
    {
        double f = 2.0;
        double a1 = f, a2 = 1.0 - f, zero = 0.0;
        if (vips_linear(t[2], &t[5], &a1, &zero, 1, NULL) || vips_linear(t[4], &t[6], &a2, &zero, 1, NULL)
            || vips_add(t[5], t[6], &t[7], NULL) || vips_cast(t[7], &t[8], VIPS_FORMAT_UCHAR, NULL))
            goto done;
    }
    {
        /* Contrast around the rounded mean luma: the image must be computed
         * once to take the mean, then again for the output. */
        double mean = 0;
        if (!(t[9] = vips_image_copy_memory(t[8])))
            goto done;
        if (vips_colourspace(t[9], &t[10], VIPS_INTERPRETATION_B_W, NULL) || vips_avg(t[10], &mean, NULL))
            goto done;
        mean = (double)(int)(mean + 0.5);
        double c = 1.5, b = 1.2;
        double a = c * b, off = mean * (1.0 - c) * b;
        if (vips_linear(t[9], &t[11], &a, &off, 1, "uchar", TRUE, NULL))
            goto done;
    }
    if (png ? vips_pngsave(t[11], out, NULL) : vips_jpegsave(t[11], out, "Q", 80, NULL))
        goto done;
    ret = 0;
done:
    g_object_unref(base);
    return ret;
}

int main(int argc, char **argv)
{
    if (VIPS_INIT(argv[0]))
        vips_error_exit(NULL);
    if (argc < 3) {
        fprintf(stderr, "usage: %s IN_DIR OUT_DIR [--thumbnail] [--png] [--threads N]\n", argv[0]);
        return 2;
    }
    int thumbnail = 0, png = 0;
    for (int i = 3; i < argc; ++i) {
        if (!strcmp(argv[i], "--thumbnail"))
            thumbnail = 1;
        else if (!strcmp(argv[i], "--png"))
            png = 1;
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            vips_concurrency_set(atoi(argv[++i]));
    }
    vips_cache_set_max(0);
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int done = 0, failed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const size_t n = strlen(e->d_name);
        if (n < 5 || strcasecmp(e->d_name + n - 4, png ? ".png" : ".jpg"))
            continue;
        char in[4096], out[4096];
        snprintf(in, sizeof in, "%s/%s", argv[1], e->d_name);
        snprintf(out, sizeof out, "%s/processed_%s", argv[2], e->d_name);
        if (process(in, out, thumbnail, png)) {
            fprintf(stderr, "%s: %s\n", in, vips_error_buffer());
            vips_error_clear();
            ++failed;
        } else {
            ++done;
        }
    }
    closedir(d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%d images in %.3f s: %.2f images/s\n", done, secs, done / secs);
    vips_shutdown();
    return failed ? 1 : 0;
}
