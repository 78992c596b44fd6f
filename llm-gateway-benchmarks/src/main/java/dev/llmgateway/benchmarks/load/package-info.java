/**
 * The load runner: the gateway against a raw OkHttp + Jackson call over a real socket to a mock
 * OpenAI server in another process, optionally also the raw call through the Portkey gateway in a
 * Node.js process; optionally a JFR lock profile of its busiest configurations. Never published.
 */
@NullMarked
package dev.llmgateway.benchmarks.load;

import org.jspecify.annotations.NullMarked;
