/**
 * Test doubles for your own suites: a scripted {@link dev.llmgateway.testing.FakeProvider} that
 * records every call, and {@link dev.llmgateway.testing.FakeGatewayExtension}, a JUnit 5 extension
 * that gives each test a fresh gateway over a fresh fake and fails tests that leave scripted steps
 * unused. Implementation lives in {@code dev.llmgateway.testing.internal}, which is not public API.
 */
@NullMarked
package dev.llmgateway.testing;

import org.jspecify.annotations.NullMarked;
