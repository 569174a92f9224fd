/** Text units of the testbed: words (LongWriter's count), sentences, paragraphs, template matching. */
package dev.longdpo.testbed.text;
