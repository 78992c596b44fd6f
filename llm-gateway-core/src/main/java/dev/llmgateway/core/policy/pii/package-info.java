/**
 * PII detection: the built-in detectors (e-mail, phone, payment card, IBAN, US SSN, IP address, secrets), the detector SPI for more, and allow-lists.
 */
@NullMarked
package dev.llmgateway.core.policy.pii;

import org.jspecify.annotations.NullMarked;
