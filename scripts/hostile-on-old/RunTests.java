import org.junit.platform.launcher.*;
import org.junit.platform.launcher.core.*;
import org.junit.platform.engine.TestExecutionResult;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs the named test classes and prints one line per test method: PASS / FAIL and the first line of why. */
public class RunTests {
    public static void main(String[] a) throws Exception {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
        for (String c : a) b.selectors(c.contains("#") ? org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(c) : selectClass(Class.forName(c)));
        Launcher l = LauncherFactory.create();
        l.execute(b.build(), new TestExecutionListener() {
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                if (!id.isTest()) { if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) System.out.println("CONTAINER " + id.getDisplayName() + " " + r); return; }
                String why = r.getThrowable().map(t -> t.toString().split("\n")[0]).orElse("");
                System.out.println("RESULT " + (r.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "PASS" : "FAIL") + " " + id.getLegacyReportingName() + " " + (why.length() > 300 ? why.substring(0, 300) : why));
            }
        });
    }
}
