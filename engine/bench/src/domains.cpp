#include "domains.h"

namespace momq::bench {

namespace {

// Names avoid capitals inside words, apostrophes and hyphens so that every engine's default
// collation sorts them the same way.
const std::vector<std::string> kFirstNames = {
    "Aaron", "Bella", "Carlos", "Diana", "Ethan", "Fiona", "George", "Hana", "Ivan", "Julia", "Kevin", "Laura",
    "Marco", "Nina", "Oscar", "Paula", "Quentin", "Rosa", "Samuel", "Tara", "Umar", "Vera", "Walter", "Xenia",
    "Yusuf", "Zoe", "Liam", "Mei", "Omar", "Lena"};
const std::vector<std::string> kSurnames = {
    "Adams", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Khan", "Lopez",
    "Moreau", "Novak", "Olsen", "Park", "Quinn", "Rossi", "Silva", "Tanaka", "Ueda", "Vogel", "Wang", "Young",
    "Zhang", "Kim", "Meyer", "Costa", "Patel", "Berg"};
const std::vector<std::string> kAdjectives = {
    "Silent", "Golden", "Hidden", "Broken", "Distant", "Wild", "Quiet", "Bright", "Frozen", "Lost", "Secret",
    "Endless", "Crimson", "Gentle", "Hollow", "Silver"};
const std::vector<std::string> kNouns = {
    "River", "Garden", "Harbor", "Mountain", "Forest", "Mirror", "Lantern", "Island", "Bridge", "Valley", "Tower",
    "Ocean", "Meadow", "Desert", "Window", "Storm"};

AttrSpec nameAttr(const std::string &column, const std::string &en, const std::string &zh) {
    return {column, AttrKind::Name, en, zh, {}, 0, 0};
}
AttrSpec category(const std::string &column, const std::string &en, const std::string &zh, std::vector<std::string> values) {
    return {column, AttrKind::Category, en, zh, std::move(values), 0, 0};
}
AttrSpec integer(const std::string &column, const std::string &en, const std::string &zh, long lo, long hi) {
    return {column, AttrKind::Integer, en, zh, {}, lo, hi};
}
AttrSpec decimal(const std::string &column, const std::string &en, const std::string &zh, long loCents, long hiCents) {
    return {column, AttrKind::Decimal, en, zh, {}, loCents, hiCents};
}
AttrSpec date(const std::string &column, const std::string &en, const std::string &zh, long firstYear, long lastYear) {
    return {column, AttrKind::Date, en, zh, {}, firstYear, lastYear};
}

std::vector<DomainSpec> makeDomains() {
    std::vector<DomainSpec> d;

    d.push_back({"basketball", "Professional basketball players, their teams and the teams' home cities.", false,
                 {{"player", "Player", "player", "players", "球员", 90,
                   {nameAttr("name", "name", "姓名"), category("position", "position", "位置", {"Guard", "Forward", "Center"}),
                    integer("age", "age", "年龄", 19, 38), decimal("points_per_game", "points per game", "场均得分", 200, 3200),
                    date("debut", "debut date", "首秀日期", 2008, 2023)},
                   kFirstNames, kSurnames},
                  {"team", "Team", "team", "teams", "球队", 12,
                   {nameAttr("name", "name", "名称"), category("conference", "conference", "赛区", {"East", "West"}),
                    integer("founded", "founding year", "成立年份", 1946, 2004),
                    integer("arena_capacity", "arena capacity", "球馆容量", 17000, 21000)},
                   {"Falcons", "Comets", "Rangers", "Pioneers", "Titans", "Wolves", "Hornets", "Sharks", "Giants", "Lions",
                    "Ravens", "Storm"},
                   {}},
                  {"city", "City", "city", "cities", "城市", 8,
                   {nameAttr("name", "name", "名称"), category("region", "region", "地区", {"Northeast", "South", "Midwest", "West"}),
                    integer("population", "population", "人口", 300000, 8500000)},
                   {"Boston", "Denver", "Seattle", "Atlanta", "Chicago", "Phoenix", "Portland", "Memphis"},
                   {}}},
                 {{0, 1, "team_id", "PLAYS_FOR", "play for", "效力于"}, {1, 2, "city_id", "BASED_IN", "are based in", "位于"}}});

    d.push_back({"library", "Books, their authors and the authors' home countries.", false,
                 {{"book", "Book", "book", "books", "图书", 90,
                   {nameAttr("title", "title", "书名"),
                    category("genre", "genre", "类型", {"Fiction", "History", "Science", "Poetry", "Mystery"}),
                    integer("pages", "page count", "页数", 90, 900), decimal("price", "price", "价格", 500, 6000),
                    date("published", "publication date", "出版日期", 1995, 2023)},
                   kAdjectives, kNouns},
                  {"author", "Author", "author", "authors", "作者", 16,
                   {nameAttr("name", "name", "姓名"), category("language", "writing language", "写作语言", {"English", "Spanish", "French", "Chinese"}),
                    integer("birth_year", "birth year", "出生年份", 1930, 1995), integer("awards", "number of awards", "获奖次数", 0, 12)},
                   kFirstNames, kSurnames},
                  {"country", "Country", "country", "countries", "国家", 8,
                   {nameAttr("name", "name", "名称"), category("continent", "continent", "大洲", {"Europe", "Asia", "Americas", "Africa"}),
                    integer("population_millions", "population in millions", "人口（百万）", 2, 1400)},
                   {"Norway", "Chile", "Kenya", "Japan", "Canada", "Spain", "Vietnam", "Egypt"},
                   {}}},
                 {{0, 1, "author_id", "WRITTEN_BY", "were written by", "出自"}, {1, 2, "country_id", "BORN_IN", "were born in", "出生于"}}});

    d.push_back({"company", "Employees, the departments they work in and the offices that host the departments.", false,
                 {{"employee", "Employee", "employee", "employees", "员工", 90,
                   {nameAttr("name", "name", "姓名"),
                    category("role", "role", "职位", {"Engineer", "Analyst", "Manager", "Designer", "Support"}),
                    decimal("salary", "salary", "薪水", 3000000, 15000000), integer("age", "age", "年龄", 22, 64),
                    date("hired", "hiring date", "入职日期", 2010, 2024)},
                   kFirstNames, kSurnames},
                  {"department", "Department", "department", "departments", "部门", 10,
                   {nameAttr("name", "name", "名称"), integer("floor", "floor", "楼层", 1, 20),
                    integer("budget", "budget", "预算", 100000, 5000000), category("division", "division", "事业部", {"Core", "Growth", "Support"})},
                   {"Research", "Sales", "Marketing", "Finance", "Operations", "Legal", "Product", "Security", "Logistics", "Training"},
                   {}},
                  {"office", "Office", "office", "offices", "办公室", 6,
                   {nameAttr("name", "name", "名称"), category("country", "country", "国家", {"Germany", "France", "Japan", "Canada"}),
                    integer("capacity", "capacity", "容量", 50, 800)},
                   {"Berlin", "Lyon", "Osaka", "Toronto", "Hamburg", "Sapporo"},
                   {}}},
                 {{0, 1, "department_id", "WORKS_IN", "work in", "就职于"}, {1, 2, "office_id", "LOCATED_AT", "are located at", "设在"}}});

    d.push_back({"music", "Tracks, the albums they appear on and the artists who recorded the albums.", false,
                 {{"track", "Track", "track", "tracks", "歌曲", 90,
                   {nameAttr("title", "title", "歌名"),
                    category("genre", "genre", "流派", {"Rock", "Jazz", "Pop", "Folk", "Electronic"}),
                    integer("duration_seconds", "length in seconds", "时长（秒）", 120, 480),
                    integer("plays", "play count", "播放次数", 1000, 900000), date("released", "release date", "发行日期", 2000, 2023)},
                   kAdjectives, kNouns},
                  {"album", "Album", "album", "albums", "专辑", 16,
                   {nameAttr("title", "title", "专辑名"), category("label", "record label", "唱片公司", {"Northwind", "Bluebird", "Summit", "Harbor"}),
                    integer("release_year", "release year", "发行年份", 1995, 2023), decimal("price", "price", "价格", 800, 2500)},
                   {"Daybreak", "Echoes", "Horizons", "Paper Moons", "Static", "Afterglow", "Undertow", "Parallels", "Kites",
                    "Wildfire", "Blue Hour", "Lowlands", "Signals", "Northbound", "Velvet", "Tidewater"},
                   {}},
                  {"artist", "Artist", "artist", "artists", "艺人", 7,
                   {nameAttr("name", "name", "名称"), category("country", "country", "国家", {"Ireland", "Korea", "Brazil", "Sweden"}),
                    integer("debut_year", "debut year", "出道年份", 1970, 2015)},
                   {"Amber Lane", "The Drifters Club", "Nova", "Paper Tigers", "Solstice", "Juniper", "Redwood"},
                   {}}},
                 {{0, 1, "album_id", "APPEARS_ON", "appear on", "收录于"}, {1, 2, "artist_id", "RECORDED_BY", "were recorded by", "出自"}}});

    d.push_back({"hospital", "Patients, their doctors and the hospitals where the doctors practise.", true,
                 {{"patient", "Patient", "patient", "patients", "患者", 80,
                   {nameAttr("name", "name", "姓名"), category("blood_type", "blood type", "血型", {"A", "B", "AB", "O"}),
                    integer("age", "age", "年龄", 1, 95), decimal("weight_kg", "weight in kilograms", "体重（公斤）", 300, 12000),
                    date("admitted", "admission date", "入院日期", 2020, 2024)},
                   kFirstNames, kSurnames},
                  {"doctor", "Doctor", "doctor", "doctors", "医生", 12,
                   {nameAttr("name", "name", "姓名"),
                    category("specialty", "specialty", "专科", {"Cardiology", "Neurology", "Oncology", "Pediatrics", "Surgery"}),
                    integer("experience_years", "years of experience", "从业年数", 1, 40)},
                   kFirstNames, kSurnames},
                  {"clinic", "Clinic", "clinic", "clinics", "医院", 6,
                   {nameAttr("name", "name", "名称"), category("district", "district", "城区", {"North", "South", "East", "West"}),
                    integer("beds", "number of beds", "床位数", 50, 1200)},
                   {"Riverside", "Hillcrest", "Lakeview", "Greenfield", "Mercy", "Stonebridge"},
                   {}}},
                 {{0, 1, "doctor_id", "TREATED_BY", "are treated by", "就诊于"}, {1, 2, "clinic_id", "PRACTISES_AT", "practise at", "执业于"}}});

    d.push_back({"retail", "Products, their suppliers and the regions the suppliers ship from.", true,
                 {{"product", "Product", "product", "products", "商品", 80,
                   {nameAttr("name", "name", "名称"),
                    category("category", "category", "类别", {"Kitchen", "Garden", "Toys", "Office", "Sports"}),
                    decimal("price", "price", "价格", 100, 30000), integer("stock", "units in stock", "库存", 0, 500),
                    date("added", "listing date", "上架日期", 2019, 2024)},
                   kAdjectives, {"Lamp", "Chair", "Kettle", "Shovel", "Puzzle", "Stapler", "Racket", "Blender", "Planter",
                                 "Notebook", "Helmet", "Teapot"}},
                  {"supplier", "Supplier", "supplier", "suppliers", "供应商", 10,
                   {nameAttr("name", "name", "名称"), integer("rating", "rating", "评分", 1, 5),
                    category("tier", "tier", "等级", {"Gold", "Silver", "Bronze"}), integer("founded", "founding year", "成立年份", 1960, 2020)},
                   {"Acme", "Globex", "Initech", "Umbrella", "Vandelay", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne"},
                   {}},
                  {"region", "Region", "region", "regions", "地区", 5,
                   {nameAttr("name", "name", "名称"), category("zone", "time zone", "时区", {"Eastern", "Central", "Pacific"}),
                    integer("warehouses", "number of warehouses", "仓库数量", 1, 40)},
                   {"Coastal", "Highlands", "Plains", "Lakes", "Delta"},
                   {}}},
                 {{0, 1, "supplier_id", "SUPPLIED_BY", "are supplied by", "来自"}, {1, 2, "region_id", "SHIPS_FROM", "ship from", "位于"}}});
    return d;
}

} // namespace

const std::vector<DomainSpec> &benchmarkDomains() {
    static const std::vector<DomainSpec> domains = makeDomains();
    return domains;
}

} // namespace momq::bench
