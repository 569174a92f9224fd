package dev.longdpo.testbed.world;

import static dev.longdpo.testbed.world.Template.fact;
import static dev.longdpo.testbed.world.Template.neutral;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Everything the testbed's texts are made of: kinds of topics with their templates, value pools and
 * generated proper names. Fixed for a testbed version (its own seed below), so tasks from any seed
 * draw from the same world and one tokenizer covers every corpus.
 */
public final class Lexicon {

  /** Bumped whenever the content changes, so cached corpora and base models are not reused. */
  public static final int VERSION = 2;

  private static final long NAME_SEED = 20250205L;

  private final Map<String, List<String>> pools = new LinkedHashMap<>();
  private final Map<String, Kind> kinds = new LinkedHashMap<>();
  private final List<String> mentionItems;
  private final List<String> bannedWords;

  private static final Lexicon INSTANCE = new Lexicon();

  /** The one lexicon. */
  public static Lexicon get() {
    return INSTANCE;
  }

  private Lexicon() {
    generateNames();
    pools.put("year", years());
    pools.put("goods", List.of("copper", "wool", "salt", "glass", "timber", "silk", "cheese", "paper", "iron", "pottery", "spices", "rope"));
    pools.put("landmark", List.of("stone bridge", "clock tower", "white lighthouse", "great library", "market hall", "red gate", "old harbor", "glass dome"));
    pools.put("climate", List.of("mild", "cold", "warm", "rainy", "dry", "windy", "foggy"));
    pools.put("device", List.of("steam pump", "water clock", "printing press", "glass lens", "wind mill", "signal lamp", "spinning wheel", "music box"));
    pools.put("material", List.of("brass", "oak", "iron", "copper", "glass", "bronze", "steel"));
    pools.put("month", List.of("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"));
    pools.put("food", List.of("honey cakes", "roasted nuts", "fish soup", "sweet bread", "apple pie", "spiced tea", "plum jam", "baked pears"));
    pools.put("color", List.of("red", "blue", "green", "gold", "white", "purple", "orange", "silver"));
    pools.put("instrument", List.of("drum", "flute", "harp", "horn", "fiddle", "bell", "lute"));
    pools.put("tree", List.of("pine", "oak", "birch", "cedar", "willow", "maple", "beech"));
    pools.put("animal", List.of("deer", "fox", "owl", "bear", "heron", "wolf", "otter", "lynx"));
    pools.put("season", List.of("spring", "summer", "autumn", "winter"));
    pools.put("item", List.of("a parade", "the old bell", "fresh bread", "a storm", "a market", "a wedding", "deep snow",
            "a concert", "a boat race", "a quiet garden", "a broken clock", "a stone fountain", "old paintings",
            "a lost dog", "a bright comet", "a puppet show"));
    mentionItems = pools.get("item");
    bannedWords = List.of("kill", "poison", "weapon", "hate", "blood");
    pools.put("time", List.of("Every morning", "In the summer", "On market days", "Late at night",
        "In the cold months", "After the rains", "On holidays", "At dawn"));
    pools.put("group", List.of("farmers", "traders", "children", "old sailors", "young artists",
        "teachers", "travelers", "craftsmen"));
    defineKinds();
    addVarietyTemplates();
  }

  /**
   * Per aspect, one template with free slots ({time}, {group}, and an aspect phrase), so long
   * answers can say new things about an aspect without repeating a sentence. The phrase pool is
   * the aspect's own, so the sentence still tells which aspect it covers.
   */
  private void addVarietyTemplates() {
    Map<String, List<String>> phrases = new LinkedHashMap<>();
    phrases.put("city/history", List.of("talk about the old days", "visit the ancient walls", "read the town records", "remember the first settlers", "clean the old monuments"));
    phrases.put("city/geography", List.of("walk along the river", "climb the green hills", "watch the clouds roll in", "cross the stone roads", "rest in the shade of trees"));
    phrases.put("city/economy", List.of("sell goods at the docks", "count coins at the market", "load carts with goods", "open new workshops", "bargain over prices"));
    phrases.put("city/culture", List.of("sing in the main square", "paint the town walls", "gather for plays", "tell stories by the fire", "dance at the gates"));
    phrases.put("city/daily life", List.of("bake bread for neighbors", "sweep the narrow streets", "meet at the fountain", "fetch water from wells", "share news at corners"));
    phrases.put("inventor/early life", List.of("remember the young inventor", "tell tales of a clever child", "recall the first small machines", "speak of a restless student", "show the old school rooms"));
    phrases.put("inventor/work", List.of("study the old drawings", "copy the clever machines", "repair the early models", "test the strange tools", "admire the careful designs"));
    phrases.put("inventor/partners", List.of("praise the loyal helpers", "read the shared notebooks", "recall the long meetings", "honor the quiet assistants", "study the joint letters"));
    phrases.put("inventor/legacy", List.of("visit the small museum", "build copies of the machines", "teach the famous methods", "celebrate the inventions", "keep the workshop open"));
    phrases.put("festival/origins", List.of("tell the story of the first feast", "recall the early harvests", "honor the old founders", "read the festival chronicles", "repeat the ancient vows"));
    phrases.put("festival/food", List.of("bake special treats", "roast meat over fires", "share sweets with guests", "cook in large pots", "carry baskets of fruit"));
    phrases.put("festival/music", List.of("play old tunes", "beat slow rhythms", "sing loud choruses", "dance in long rows", "practice new songs"));
    phrases.put("festival/decorations", List.of("hang paper flowers", "paint the doors", "light small candles", "weave long garlands", "raise bright banners"));
    phrases.put("festival/timing", List.of("count the days until it starts", "mark the calendar", "prepare the streets early", "travel home in time", "wait by the town gate"));
    phrases.put("ship/building", List.of("admire the strong mast", "inspect the wooden hull", "polish the brass rails", "check the heavy ropes", "praise the careful builders"));
    phrases.put("ship/crew", List.of("sing with the crew", "share meals on deck", "learn the knots", "keep watch at night", "mend the sails"));
    phrases.put("ship/voyages", List.of("follow the old sea routes", "watch the far coasts", "chart unknown waters", "wait for fair winds", "wave from the shore"));
    phrases.put("ship/cargo", List.of("count the heavy crates", "guard the valuable goods", "unload the barrels", "sort the fresh supplies", "stack the sacks"));
    phrases.put("valley/nature", List.of("walk under tall trees", "watch birds in the meadows", "pick wild berries", "follow animal tracks", "rest by the mossy rocks"));
    phrases.put("valley/water", List.of("fish in the clear streams", "swim in the cold lakes", "cross the wooden bridges", "fill jars at the springs", "listen to the waterfalls"));
    phrases.put("valley/people", List.of("work in the fields", "tend the sheep", "build stone walls", "trade at the village fair", "share harvest meals"));
    phrases.put("valley/seasons", List.of("gather wood for winter", "plant seeds in spring", "harvest grain in autumn", "climb the hills in summer", "watch the first snow"));
    Map<String, String> connector = Map.of("city", "in", "inventor", "of", "festival", "for", "ship", "of", "valley", "in");
    for (Kind kind : kinds.values()) {
      Map<String, List<Template>> aspects = new LinkedHashMap<>();
      for (Map.Entry<String, List<Template>> a : kind.aspects().entrySet()) {
        String poolName = "phrase/" + kind.name() + "/" + a.getKey();
        pools.put(poolName, phrases.get(kind.name() + "/" + a.getKey()));
        List<Template> templates = new ArrayList<>(a.getValue());
        templates.add(new Template(a.getKey(), "{time}, {group} {" + poolName + "} " + connector.get(kind.name()) + " {E}.", java.util.Optional.empty()));
        aspects.put(a.getKey(), List.copyOf(templates));
      }
      kinds.put(kind.name(), new Kind(kind.name(), kind.nounPhrase(), kind.namePool(), kind.attributes(),
          aspects, kind.intro(), kind.conclusion()));
    }
  }

  private static List<String> years() {
    List<String> ys = new ArrayList<>();
    for (int y = 1210; y <= 1990; y += 7) {
      ys.add(Integer.toString(y));
    }
    return List.copyOf(ys);
  }

  /** Proper names from syllables, unique across every pool. */
  private void generateNames() {
    String[] onsets = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kl", "tr", "st", "th"};
    String[] vowels = {"a", "e", "i", "o", "u", "ai", "ea", "io"};
    String[] codas = {"", "n", "r", "s", "l", "th", "m", "x", "nd", "rk"};
    Random r = new Random(NAME_SEED);
    Set<String> used = new LinkedHashSet<>();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put("cityName", 16);
    sizes.put("town", 16);
    sizes.put("river", 12);
    sizes.put("first", 16);
    sizes.put("last", 16);
    sizes.put("festivalName", 12);
    sizes.put("shipName", 12);
    sizes.put("valleyName", 12);
    for (Map.Entry<String, Integer> e : sizes.entrySet()) {
      List<String> names = new ArrayList<>();
      while (names.size() < e.getValue()) {
        int syllables = 2 + r.nextInt(2);
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < syllables; s++) {
          b.append(onsets[r.nextInt(onsets.length)]).append(vowels[r.nextInt(vowels.length)]);
        }
        b.append(codas[r.nextInt(codas.length)]);
        String name = Character.toUpperCase(b.charAt(0)) + b.substring(1);
        if (name.length() <= 9 && used.add(name)) {
          names.add(name);
        }
      }
      pools.put(e.getKey(), List.copyOf(names));
    }
    List<String> persons = new ArrayList<>();
    List<String> first = pools.get("first");
    List<String> last = pools.get("last");
    for (int i = 0; i < 24; i++) {
      persons.add(first.get(i % first.size()) + " " + last.get((i * 7 + 3) % last.size()));
    }
    pools.put("person", List.copyOf(persons));
  }

  private void defineKinds() {
    Map<String, List<Template>> city = new LinkedHashMap<>();
    city.put("history", List.of(
        fact("history", "founded", "{E} was founded in {founded}."),
        fact("history", "founder", "{E} was founded by {founder}."),
        neutral("history", "In its early years, {E} was a quiet village."),
        neutral("history", "Over many years, {E} grew into a busy town.")));
    city.put("geography", List.of(
        fact("geography", "river", "{E} lies on the banks of the river {river}."),
        fact("geography", "climate", "The climate of {E} is {climate}."),
        neutral("geography", "Green hills surround {E} on three sides."),
        neutral("geography", "Many roads lead from {E} to smaller towns.")));
    city.put("economy", List.of(
        fact("economy", "export", "The main export of {E} is {export}."),
        neutral("economy", "Merchants in {E} trade with distant ports."),
        neutral("economy", "Many families in {E} work in small shops.")));
    city.put("culture", List.of(
        fact("culture", "landmark", "The most famous landmark in {E} is the {landmark}."),
        neutral("culture", "Visitors come to {E} in every season."),
        neutral("culture", "Music and old stories are part of life in {E}.")));
    city.put("daily life", List.of(
        neutral("daily life", "People in {E} start their day early."),
        neutral("daily life", "Children in {E} play near the old market."),
        neutral("daily life", "The streets of {E} are busy in the evening.")));
    kinds.put("city", new Kind("city", "the city of {E}", "cityName",
        attrs("founded", "year", "founder", "person", "river", "river", "export", "goods", "landmark", "landmark", "climate", "climate"),
        city,
        List.of(neutral("intro", "The city of {E} has a long history."), neutral("intro", "The city of {E} is old and full of life.")),
        List.of(neutral("conclusion", "In the end, {E} remains a remarkable city."), neutral("conclusion", "All in all, {E} is a city worth knowing."))));

    Map<String, List<Template>> inventor = new LinkedHashMap<>();
    inventor.put("early life", List.of(
        fact("early life", "born", "{E} was born in {born}."),
        fact("early life", "hometown", "{E} grew up in the town of {hometown}."),
        neutral("early life", "As a child, {E} liked to take things apart.")));
    inventor.put("work", List.of(
        fact("work", "invention", "{E} is known for the {invention}."),
        fact("work", "material", "{E} built most machines from {material}."),
        neutral("work", "{E} worked late into the night on new ideas.")));
    inventor.put("partners", List.of(
        fact("partners", "partner", "{E} worked closely with {partner}."),
        neutral("partners", "Together with friends, {E} tested many designs."),
        neutral("partners", "{E} shared every plan with a small team.")));
    inventor.put("legacy", List.of(
        neutral("legacy", "Today, students still read about {E}."),
        neutral("legacy", "The ideas of {E} changed how people work."),
        neutral("legacy", "Many workshops still use the methods of {E}.")));
    kinds.put("inventor", new Kind("inventor", "the inventor {E}", "person",
        attrs("born", "year", "hometown", "town", "invention", "device", "material", "material", "partner", "person"),
        inventor,
        List.of(neutral("intro", "The inventor {E} had many ideas."), neutral("intro", "The inventor {E} was curious and patient.")),
        List.of(neutral("conclusion", "In the end, {E} is remembered as a great inventor."), neutral("conclusion", "All in all, the work of {E} still matters."))));

    Map<String, List<Template>> festival = new LinkedHashMap<>();
    festival.put("origins", List.of(
        fact("origins", "started", "The festival of {E} began in {started}."),
        fact("origins", "town", "The festival of {E} is held in {town}."),
        neutral("origins", "The festival of {E} grew from a small harvest feast.")));
    festival.put("food", List.of(
        fact("food", "food", "During {E}, people eat {food}."),
        neutral("food", "Families share long meals during {E}."),
        neutral("food", "Cooks prepare for {E} many days ahead.")));
    festival.put("music", List.of(
        fact("music", "instrument", "The {instrument} is played at {E}."),
        neutral("music", "Songs fill the streets during {E}."),
        neutral("music", "Young dancers practice all year for {E}.")));
    festival.put("decorations", List.of(
        fact("decorations", "color", "The color of {E} is {color}."),
        neutral("decorations", "Lanterns hang from every window during {E}."),
        neutral("decorations", "Flags and ribbons cover the houses during {E}.")));
    festival.put("timing", List.of(
        fact("timing", "month", "{E} takes place in {month}."),
        neutral("timing", "{E} lasts for three long days."),
        neutral("timing", "People wait all year for {E} to return.")));
    kinds.put("festival", new Kind("festival", "the festival of {E}", "festivalName",
        attrs("started", "year", "town", "town", "food", "food", "instrument", "instrument", "color", "color", "month", "month"),
        festival,
        List.of(neutral("intro", "The festival of {E} is a time of joy and light."), neutral("intro", "The festival of {E} is loved by everyone.")),
        List.of(neutral("conclusion", "In the end, {E} brings people together."), neutral("conclusion", "All in all, {E} is a festival worth seeing."))));

    Map<String, List<Template>> ship = new LinkedHashMap<>();
    ship.put("building", List.of(
        fact("building", "launched", "{E} was launched in {launched}."),
        fact("building", "color", "The hull of {E} is painted {color}."),
        neutral("building", "Skilled workers spent two years building {E}.")));
    ship.put("crew", List.of(
        fact("crew", "captain", "The captain of {E} is {captain}."),
        neutral("crew", "The crew of {E} trusts its captain."),
        neutral("crew", "Sailors on {E} work long hours at sea.")));
    ship.put("voyages", List.of(
        fact("voyages", "port", "The home port of {E} is {port}."),
        neutral("voyages", "{E} has crossed many stormy seas."),
        neutral("voyages", "{E} sails north when the winds are calm.")));
    ship.put("cargo", List.of(
        fact("cargo", "cargo", "{E} mostly carries {cargo}."),
        neutral("cargo", "Dock workers load {E} before dawn."),
        neutral("cargo", "Traders wait for {E} at every harbor.")));
    kinds.put("ship", new Kind("ship", "the ship {E}", "shipName",
        attrs("launched", "year", "captain", "person", "port", "town", "cargo", "goods", "color", "color"),
        ship,
        List.of(neutral("intro", "The ship {E} has a proud record."), neutral("intro", "The ship {E} is strong and famous.")),
        List.of(neutral("conclusion", "In the end, {E} is a ship to remember."), neutral("conclusion", "All in all, {E} has served its crew well."))));

    Map<String, List<Template>> valley = new LinkedHashMap<>();
    valley.put("nature", List.of(
        fact("nature", "tree", "The {tree} is the most common tree in {E}."),
        fact("nature", "animal", "The {animal} lives in the forests of {E}."),
        neutral("nature", "Wild flowers cover the slopes of {E}.")));
    valley.put("water", List.of(
        fact("water", "river", "The river {river} flows through {E}."),
        neutral("water", "Small streams run down into {E}."),
        neutral("water", "Cold springs feed the lakes of {E}.")));
    valley.put("people", List.of(
        fact("people", "village", "The largest village in {E} is {village}."),
        neutral("people", "Farmers in {E} grow grain and beans."),
        neutral("people", "Shepherds guide their flocks across {E}.")));
    valley.put("seasons", List.of(
        fact("seasons", "season", "The best season to visit {E} is {season}."),
        neutral("seasons", "Heavy rain falls on {E} in the autumn."),
        neutral("seasons", "Snow closes the high roads of {E} in winter.")));
    kinds.put("valley", new Kind("valley", "the valley of {E}", "valleyName",
        attrs("tree", "tree", "animal", "animal", "river", "river", "village", "town", "season", "season"),
        valley,
        List.of(neutral("intro", "The valley of {E} is quiet and green."), neutral("intro", "The valley of {E} is full of forests and rivers.")),
        List.of(neutral("conclusion", "In the end, {E} is a peaceful place."), neutral("conclusion", "All in all, {E} is a valley worth visiting."))));
  }

  private static Map<String, String> attrs(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** Kinds by name, in definition order. */
  public Map<String, Kind> kinds() {
    return kinds;
  }

  /** A value pool by name. */
  public List<String> pool(String name) {
    List<String> p = pools.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no pool " + name);
    }
    return p;
  }

  /** Every pool, by name. */
  public Map<String, List<String>> pools() {
    return pools;
  }

  /** Things a sectioned task can ask a section to mention. */
  public List<String> mentionItems() {
    return mentionItems;
  }

  /** Words the safety principle forbids. */
  public List<String> bannedWords() {
    return bannedWords;
  }

  /** The names that can be a subject (every kind's name pool): what off-topic sentences name. */
  public Set<String> subjectNames() {
    Set<String> out = new LinkedHashSet<>();
    for (Kind k : kinds.values()) {
      out.addAll(pool(k.namePool()));
    }
    return out;
  }
}
