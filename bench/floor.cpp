// The codec floor: what decoding every input and encoding an output of the
// target size costs with libjpeg(-turbo) alone, no processing in between.
//
//   pixelperf-bench-floor DIR [--jobs N] [--scaled] [--size WxH] [--quality Q]
//
// --scaled decodes at the largest DCT scale (1/2, 1/4, 1/8) that keeps at
// least the target size, as pixelperf's shrink-on-load does. The output is the
// top-left WxH of the decoded image, encoded in memory and written to
// /dev/null-like discard (not to disk), so only the codec is measured.
#include <atomic>
#include <chrono>
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <thread>
#include <vector>

#include <jpeglib.h>

namespace {

struct ErrorManager {
    jpeg_error_mgr mgr;
    jmp_buf jump;
};

void onError(j_common_ptr cinfo)
{
    longjmp(reinterpret_cast<ErrorManager *>(cinfo->err)->jump, 1);
}

std::vector<unsigned char> readFile(const std::string &path)
{
    std::vector<unsigned char> data;
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        return data;
    std::fseek(f, 0, SEEK_END);
    const long size = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    data.resize(size_t(size));
    if (std::fread(data.data(), 1, data.size(), f) != data.size())
        data.clear();
    std::fclose(f);
    return data;
}

bool process(const std::string &path, bool scaled, int width, int height, int quality, size_t *outBytes)
{
    const std::vector<unsigned char> in = readFile(path);
    if (in.empty())
        return false;
    jpeg_decompress_struct d;
    ErrorManager err;
    d.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = onError;
    std::vector<unsigned char> pixels;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&d);
        return false;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, in.data(), in.size());
    jpeg_read_header(&d, TRUE);
    d.out_color_space = JCS_RGB;
    if (scaled) {
        for (unsigned denom : { 8u, 4u, 2u }) {
            if (d.image_width / denom >= unsigned(width) && d.image_height / denom >= unsigned(height)) {
                d.scale_num = 1;
                d.scale_denom = denom;
                break;
            }
        }
    }
    jpeg_start_decompress(&d);
    const size_t stride = size_t(d.output_width) * 3;
    pixels.resize(stride * d.output_height);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = pixels.data() + stride * d.output_scanline;
        jpeg_read_scanlines(&d, &row, 1);
    }
    const int w = std::min<int>(width, int(d.output_width)), h = std::min<int>(height, int(d.output_height));
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);

    jpeg_compress_struct c;
    c.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = onError;
    unsigned char *out = nullptr;
    unsigned long size = 0;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&c);
        std::free(out);
        return false;
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &size);
    c.image_width = JDIMENSION(w);
    c.image_height = JDIMENSION(h);
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = pixels.data() + stride * c.next_scanline;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *outBytes = size;
    std::free(out);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [--jobs N] [--scaled] [--size WxH] [--quality Q]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    int jobs = 2, width = 800, height = 600, quality = 80;
    bool scaled = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--jobs" && i + 1 < argc)
            jobs = std::atoi(argv[++i]);
        else if (a == "--scaled")
            scaled = true;
        else if (a == "--size" && i + 1 < argc)
            std::sscanf(argv[++i], "%dx%d", &width, &height);
        else if (a == "--quality" && i + 1 < argc)
            quality = std::atoi(argv[++i]);
    }
    std::vector<std::string> files;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d)) {
            const std::string name = e->d_name;
            if (name.size() > 4
                && (name.substr(name.size() - 4) == ".jpg" || name.substr(name.size() - 4) == ".JPG"))
                files.push_back(dir + "/" + name);
        }
        closedir(d);
    }
    std::atomic<size_t> next { 0 }, ok { 0 }, bytes { 0 };
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < jobs; ++t)
        threads.emplace_back([&] {
            for (size_t i; (i = next++) < files.size();) {
                size_t out = 0;
                if (process(files[i], scaled, width, height, quality, &out)) {
                    ++ok;
                    bytes += out;
                }
            }
        });
    for (std::thread &t : threads)
        t.join();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%zu images in %.3f s: %.2f images/s (%s decode, %d jobs)\n", size_t(ok), secs,
        double(ok) / secs, scaled ? "DCT-scaled" : "full", jobs);
    return ok == files.size() ? 0 : 1;
}
