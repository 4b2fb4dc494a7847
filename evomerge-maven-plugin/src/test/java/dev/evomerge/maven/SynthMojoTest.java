package dev.evomerge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synth goal as a plain object: it writes a real (tiny) model, with the defaults the CLI has. */
class SynthMojoTest {

    @TempDir
    Path tmp;

    private SynthMojo mojo() {
        SynthMojo mojo = new SynthMojo();
        mojo.outputDirectory = tmp.resolve("m").toFile();
        mojo.family = "llama";
        mojo.layers = 1;
        mojo.hidden = 16;
        mojo.intermediate = 24;
        mojo.vocab = 32;
        mojo.heads = 2;
        mojo.kvHeads = 2;
        mojo.dtype = "f32";
        mojo.noise = 0.01;
        return mojo;
    }

    @Test
    void execute_defaultDtype_writesFloat32Model() throws Exception {
        mojo().execute();
        JsonNode config = new ObjectMapper().readTree(tmp.resolve("m/config.json").toFile());
        assertEquals("float32", config.path("torch_dtype").asText(config.path("dtype").asText()));
        assertTrue(Files.isRegularFile(tmp.resolve("m/model.safetensors")));
    }

    @Test
    void execute_longDtypeSpelling_acceptedAsTheCliDoes() throws Exception {
        SynthMojo mojo = mojo();
        mojo.dtype = "bfloat16";
        mojo.execute();
        JsonNode config = new ObjectMapper().readTree(tmp.resolve("m/config.json").toFile());
        assertEquals("bfloat16", config.path("torch_dtype").asText(config.path("dtype").asText()));
    }

    @Test
    void execute_unknownDtype_failsTheBuildNamingTheSpellings() {
        SynthMojo mojo = mojo();
        mojo.dtype = "int4";
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("evomerge:synth: dtype must be bf16, f16 or f32, got 'int4'", e.getMessage());
    }
}
