package dev.evomerge.eval.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.objects.SafeString;

/**
 * Makes Jinjava print values as Jinja2 does: {@code {{ value }}} writes Python's {@code str(value)} ({@code True},
 * {@code 1e-05}, {@code ['a', 'b']}), through an interpreter whose {@link JinjavaInterpreter#getAsString} is
 * {@link PythonValues#str}. A null value prints as nothing, as Jinja2's lenient undefined does (in strict mode a null
 * is an error before it is printed).
 *
 * <p>Stateless and thread-safe.
 */
final class PythonInterpreterFactory implements InterpreterFactory {

    @Override
    public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
        return new PythonInterpreter(orig);
    }

    @Override
    public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
        return new PythonInterpreter(application, context, renderConfig);
    }

    /** An interpreter printing values with Python's {@code str()}. */
    private static final class PythonInterpreter extends JinjavaInterpreter {

        PythonInterpreter(JinjavaInterpreter orig) {
            super(orig);
        }

        PythonInterpreter(Jinjava application, Context context, JinjavaConfig config) {
            super(application, context, config);
        }

        @Override
        public String getAsString(Object object) {
            if (object == null) {
                return "";
            }
            if (object instanceof SafeString s) {
                return s.toString();
            }
            return PythonValues.str(object);
        }
    }
}
