// Reads tensors of a safetensors file for verify scripts: header JSON and float32/bf16 values.
import groovy.json.JsonSlurper
import java.nio.ByteBuffer
import java.nio.ByteOrder

class Safetensors {
    static Map header(File f) {
        def raf = new RandomAccessFile(f, 'r')
        try {
            byte[] len = new byte[8]
            raf.readFully(len)
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong()
            byte[] json = new byte[(int) n]
            raf.readFully(json)
            def h = new JsonSlurper().parseText(new String(json, 'UTF-8'))
            h.put('__data_start__', 8 + n)
            return h
        } finally {
            raf.close()
        }
    }

    static float[] floats(File f, String name) {
        def h = header(f)
        def e = h[name]
        assert e != null : "no tensor ${name} in ${f}"
        long start = h['__data_start__'] + e.data_offsets[0]
        int size = (int) (e.data_offsets[1] - e.data_offsets[0])
        byte[] bytes = new byte[size]
        def raf = new RandomAccessFile(f, 'r')
        try {
            raf.seek(start)
            raf.readFully(bytes)
        } finally {
            raf.close()
        }
        def buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        if (e.dtype == 'F32') {
            float[] out = new float[size / 4]
            buf.asFloatBuffer().get(out)
            return out
        }
        assert e.dtype == 'BF16' : "unsupported dtype ${e.dtype}"
        float[] out = new float[size / 2]
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16)
        }
        return out
    }
}
