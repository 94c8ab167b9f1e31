/** JMH benchmarks and measuring tools (run through {@code scripts/jmh}); not an API. */
package org.panamacnn.bench;
