package dev.evomerge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The generated plugin descriptor, which the help goal prints: every goal is thread-safe, honours
 * {@code evomerge.skip} (help aside), and documents every parameter.
 */
class PluginDescriptorTest {

    @Test
    void everyGoal_threadSafe_skippable_andEveryParameterDocumented() throws Exception {
        Document d;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertNotNull(in, "plugin.xml is generated before the tests run");
            d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList mojos = d.getElementsByTagName("mojo");
        List<String> goals = new ArrayList<>();
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = text(mojo, "goal");
            goals.add(goal);
            assertEquals("true", text(mojo, "threadSafe"), goal + " is thread-safe");
            assertFalse(text(mojo, "description").isBlank(), goal + " has a description");
            NodeList params = ((Element) mojo.getElementsByTagName("parameters").item(0))
                    .getElementsByTagName("parameter");
            boolean skip = false;
            for (int p = 0; p < params.getLength(); p++) {
                Element param = (Element) params.item(p);
                String name = text(param, "name");
                assertFalse(text(param, "description").isBlank(), goal + " documents " + name);
                skip |= name.equals("skip");
            }
            assertTrue(skip || goal.equals("help"), goal + " has evomerge.skip");
        }
        assertTrue(goals.containsAll(List.of("merge", "evolve", "synth", "verify", "fetch", "evaluate", "report",
                "help")), goals.toString());
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().strip();
    }
}
