/**
 * The rule judge, critic and fact checker that stand in for LongDPO's LLM judge and critic: each
 * of the seven principles is a measurable property of testbed text.
 */
package dev.longdpo.testbed.judge;
