/** {@code longdpo search} and {@code longdpo export}: build pairs with the tree search, write them out. */
package dev.longdpo.cli.search;
