package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the docs' commands working. Every {@code ./panama-cnn} line in a fenced block of README.md
 * or docs/ must name a command and only options that command's help lists; the blocks marked
 * {@code ```sh tested} are run, line by line, as a reader would run them from the repository's
 * root (in a scratch directory that links to the repository's data, models and bench folders),
 * and each line must succeed.
 */
class DocCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The commands, as the parser knows them: their options are what the docs may name. */
    private static final Map<String, picocli.CommandLine> COMMANDS = Main.command(System.out).getSubcommands();

    /** A fenced code block: its file, first line number, info string and logical lines (continuations joined). */
    record Block(Path file, int line, String info, List<String> commands) {
        boolean tested() {
            return List.of(info.split("\\s+")).contains("tested");
        }
    }

    @Test
    void everyPanamaCnnLineUsesOptionsItsCommandAccepts() throws IOException {
        int checked = 0;
        for (Block b : blocks()) {
            for (String line : b.commands()) {
                List<String> words = command(line);
                if (words.isEmpty()) continue;
                String where = b.file() + " line " + b.line() + ": " + line;
                assertTrue(words.size() > 1 && COMMANDS.containsKey(words.get(1)), "unknown command: " + where);
                picocli.CommandLine.Model.CommandSpec command = COMMANDS.get(words.get(1)).getCommandSpec();
                String help = Main.help(words.get(1));
                for (String w : words) {
                    String word = w.replaceAll("[\\[\\]]", "");
                    if (!word.startsWith("--")) continue;
                    String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                    assertTrue(command.findOption(option) != null && help.contains(option), option + " is not in '" + words.get(1) + " --help': " + where);
                }
                checked++;
            }
        }
        assertTrue(checked >= 20, "found only " + checked + " ./panama-cnn lines in the docs");
    }

    @Test
    void testedBlocksRunAsWritten(@TempDir Path scratch) throws Exception {
        List<Block> tested = blocks().stream().filter(Block::tested).toList();
        assertTrue(tested.size() >= 2, "the README and docs/onnx.md have tested blocks");
        for (Block b : tested) {
            Path dir = scratch.resolve(ROOT.relativize(b.file()).toString().replace('/', '-') + "-" + b.line());
            Files.createDirectories(dir);
            for (String folder : List.of("data", "models", "bench")) Files.createSymbolicLink(dir.resolve(folder), ROOT.resolve(folder));
            for (String line : b.commands()) {
                List<String> words = command(line);
                assertFalse(words.isEmpty(), b.file() + " line " + b.line() + ": a tested block holds only ./panama-cnn commands: " + line);
                run(dir, words.subList(1, words.size()), b.file() + " line " + b.line() + ": " + line);
            }
        }
    }

    private static void run(Path dir, List<String> args, String where) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "@" + ROOT.resolve("jvm.config"),
                "-Dpanamacnn.home=" + ROOT, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Path log = dir.resolve("output.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("took over 5 minutes: " + where);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), where + "\n" + output);
        assertFalse(output.contains("Exception"), where + "\n" + output);
    }

    /** The words of a ./panama-cnn command line (environment assignments before it dropped), or none for other lines. */
    static List<String> command(String line) {
        List<String> words = words(line);
        int i = 0;
        while (i < words.size() && words.get(i).matches("[A-Z_]+=.*")) i++;
        return i < words.size() && words.get(i).equals("./panama-cnn") ? words.subList(i, words.size()) : List.of();
    }

    /** Shell words: split on blanks outside quotes, quotes removed, a '#' comment after a blank dropped. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else if (c == '#' && !inWord) {
                break;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    static List<Block> blocks() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path f : files) blocks.addAll(blocks(f, Files.readAllLines(f, StandardCharsets.UTF_8)));
        return blocks;
    }

    static List<Block> blocks(Path file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String open = lines.get(i).strip();
            if (!open.startsWith("```")) continue;
            int first = i + 1;
            List<String> commands = new ArrayList<>();
            StringBuilder logical = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                String l = lines.get(i).strip();
                if (l.endsWith("\\")) {
                    logical.append(l, 0, l.length() - 1).append(' ');
                } else {
                    commands.add(logical.append(l).toString());
                    logical.setLength(0);
                }
            }
            blocks.add(new Block(file, first, open.substring(3).strip(), commands));
        }
        return blocks;
    }
}
