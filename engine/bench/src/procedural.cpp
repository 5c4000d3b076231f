// Generated domains for the built-in benchmark: many small schemas whose names, structure and
// spelling vary, so that a model learns to read the schema in its prompt rather than remember a few.
// The training and test splits draw on disjoint word lists (entity nouns, attributes, link verbs),
// and no training noun names a table of the hand-written test domains (hospital, retail).
#include "domains.h"

#include "momq/dialect.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace momq::bench {

namespace {

enum class NameStyle { Person, Title, Place, Group };

struct Noun {
    std::string en, plural, zh;
    NameStyle style;
};

using enum NameStyle;

const std::vector<Noun> kTrainNouns = {
    {"employee", "employees", "员工", Person},
    {"customer", "customers", "客户", Person},
    {"student", "students", "学生", Person},
    {"teacher", "teachers", "教师", Person},
    {"driver", "drivers", "司机", Person},
    {"pilot", "pilots", "飞行员", Person},
    {"nurse", "nurses", "护士", Person},
    {"lawyer", "lawyers", "律师", Person},
    {"athlete", "athletes", "运动员", Person},
    {"musician", "musicians", "音乐家", Person},
    {"writer", "writers", "作家", Person},
    {"volunteer", "volunteers", "志愿者", Person},
    {"member", "members", "会员", Person},
    {"tenant", "tenants", "租户", Person},
    {"guest", "guests", "客人", Person},
    {"engineer", "engineers", "工程师", Person},
    {"farmer", "farmers", "农民", Person},
    {"chef", "chefs", "厨师", Person},
    {"coach", "coaches", "教练", Person},
    {"scientist", "scientists", "科学家", Person},
    {"artist", "artists", "艺术家", Person},
    {"actor", "actors", "演员", Person},
    {"manager", "managers", "经理", Person},
    {"researcher", "researchers", "研究员", Person},
    {"book", "books", "图书", Title},
    {"album", "albums", "专辑", Title},
    {"film", "films", "电影", Title},
    {"painting", "paintings", "画作", Title},
    {"course", "courses", "课程", Title},
    {"project", "projects", "项目", Title},
    {"gadget", "gadgets", "小器具", Title},
    {"recipe", "recipes", "食谱", Title},
    {"game", "games", "游戏", Title},
    {"article", "articles", "文章", Title},
    {"device", "devices", "设备", Title},
    {"vehicle", "vehicles", "车辆", Title},
    {"ship", "ships", "船只", Title},
    {"aircraft", "aircraft", "飞机", Title},
    {"building", "buildings", "建筑", Title},
    {"exhibit", "exhibits", "展品", Title},
    {"dataset", "datasets", "数据集", Title},
    {"application", "applications", "应用", Title},
    {"contract", "contracts", "合同", Title},
    {"invoice", "invoices", "发票", Title},
    {"ticket", "tickets", "工单", Title},
    {"purchase", "purchases", "采购单", Title},
    {"shipment", "shipments", "货运", Title},
    {"machine", "machines", "机器", Title},
    {"instrument", "instruments", "乐器", Title},
    {"route", "routes", "路线", Title},
    {"city", "cities", "城市", Place},
    {"district", "districts", "区县", Place},
    {"campus", "campuses", "校区", Place},
    {"warehouse", "warehouses", "仓库", Place},
    {"airport", "airports", "机场", Place},
    {"station", "stations", "车站", Place},
    {"park", "parks", "公园", Place},
    {"venue", "venues", "场馆", Place},
    {"branch", "branches", "分店", Place},
    {"office", "offices", "办公室", Place},
    {"province", "provinces", "省份", Place},
    {"country", "countries", "国家", Place},
    {"harbor", "harbors", "港口", Place},
    {"company", "companies", "公司", Group},
    {"team", "teams", "球队", Group},
    {"club", "clubs", "俱乐部", Group},
    {"department", "departments", "部门", Group},
    {"school", "schools", "学校", Group},
    {"studio", "studios", "工作室", Group},
    {"agency", "agencies", "机构", Group},
    {"bank", "banks", "银行", Group},
    {"store", "stores", "商店", Group},
    {"laboratory", "laboratories", "实验室", Group},
    {"committee", "committees", "委员会", Group},
    {"publisher", "publishers", "出版社", Group},
    {"vendor", "vendors", "经销商", Group},
};

const std::vector<Noun> kTestNouns = {
    {"surgeon", "surgeons", "外科医生", Person},
    {"pharmacist", "pharmacists", "药剂师", Person},
    {"cyclist", "cyclists", "自行车手", Person},
    {"sailor", "sailors", "水手", Person},
    {"translator", "translators", "译者", Person},
    {"plumber", "plumbers", "水管工", Person},
    {"librarian", "librarians", "图书管理员", Person},
    {"photographer", "photographers", "摄影师", Person},
    {"vaccine", "vaccines", "疫苗", Title},
    {"satellite", "satellites", "卫星", Title},
    {"festival", "festivals", "节日活动", Title},
    {"podcast", "podcasts", "播客", Title},
    {"sculpture", "sculptures", "雕塑", Title},
    {"telescope", "telescopes", "望远镜", Title},
    {"tractor", "tractors", "拖拉机", Title},
    {"yacht", "yachts", "游艇", Title},
    {"lighthouse", "lighthouses", "灯塔", Place},
    {"vineyard", "vineyards", "葡萄园", Place},
    {"observatory", "observatories", "天文台", Place},
    {"island", "islands", "岛屿", Place},
    {"canyon", "canyons", "峡谷", Place},
    {"orchestra", "orchestras", "乐团", Group},
    {"brewery", "breweries", "酿酒厂", Group},
    {"charity", "charities", "慈善机构", Group},
    {"guild", "guilds", "行会", Group},
    {"newspaper", "newspapers", "报社", Group},
    {"bakery", "bakeries", "面包店", Group},
    {"theater", "theaters", "剧院", Group},
};

AttrSpec attr(AttrKind kind, const char *column, const char *en, const char *zh, long lo, long hi,
              std::vector<std::string> categories = {}, bool year = false) {
    AttrSpec a{column, kind, en, zh, std::move(categories), lo, hi};
    a.isYear = year;
    return a;
}
using K = AttrKind;

const std::vector<AttrSpec> kTrainAttrs = {
    attr(K::Integer, "age", "age", "年龄", 18, 75),
    attr(K::Integer, "capacity", "capacity", "容量", 20, 5000),
    attr(K::Integer, "floors", "number of floors", "楼层数", 1, 60),
    attr(K::Integer, "staff_count", "staff count", "员工人数", 3, 900),
    attr(K::Integer, "ranking", "ranking", "排名", 1, 100),
    attr(K::Integer, "duration_minutes", "duration in minutes", "时长（分钟）", 10, 240),
    attr(K::Integer, "weight_kg", "weight in kilograms", "重量（千克）", 1, 900),
    attr(K::Integer, "visitors", "number of visitors", "访客数量", 100, 90000),
    attr(K::Integer, "score", "score", "得分", 0, 100),
    attr(K::Integer, "stock_level", "stock level", "库存量", 0, 500),
    attr(K::Integer, "seats", "number of seats", "座位数", 10, 400),
    attr(K::Integer, "founded_year", "founding year", "成立年份", 1900, 2020, {}, true),
    attr(K::Integer, "height_m", "height in meters", "高度（米）", 2, 400),
    attr(K::Integer, "member_count", "member count", "成员数量", 5, 2000),
    attr(K::Integer, "rooms", "number of rooms", "房间数", 1, 300),
    attr(K::Integer, "distance_km", "distance in kilometers", "距离（公里）", 1, 5000),
    attr(K::Integer, "skill_level", "skill level", "技能等级", 1, 20),
    attr(K::Decimal, "price", "price", "价格", 100, 99900),
    attr(K::Decimal, "salary", "salary", "薪水", 200000, 1500000),
    attr(K::Decimal, "budget", "budget", "预算", 1000000, 90000000),
    attr(K::Decimal, "fee", "fee", "费用", 500, 50000),
    attr(K::Decimal, "revenue", "revenue", "收入", 100000, 50000000),
    attr(K::Decimal, "discount_rate", "discount rate", "折扣率", 0, 5000),
    attr(K::Decimal, "temperature", "temperature", "温度", 0, 4000),
    attr(K::Decimal, "area_sqm", "area in square meters", "面积（平方米）", 2000, 900000),
    attr(K::Decimal, "balance", "balance", "余额", 0, 9000000),
    attr(K::Decimal, "avg_rating", "average rating", "平均评分", 100, 500),
    attr(K::Category, "status", "status", "状态", 0, 0, {"Active", "Pending", "Closed"}),
    attr(K::Category, "category", "category", "类别", 0, 0, {"Standard", "Premium", "Basic"}),
    attr(K::Category, "color", "color", "颜色", 0, 0, {"Red", "Blue", "Green", "Black", "White"}),
    attr(K::Category, "size", "size", "尺寸", 0, 0, {"Small", "Medium", "Large"}),
    attr(K::Category, "language", "language", "语言", 0, 0, {"English", "French", "German", "Spanish", "Chinese"}),
    attr(K::Category, "difficulty", "difficulty", "难度", 0, 0, {"Easy", "Medium", "Hard"}),
    attr(K::Category, "shift", "shift", "班次", 0, 0, {"Morning", "Evening", "Night"}),
    attr(K::Category, "material", "material", "材料", 0, 0, {"Wood", "Steel", "Glass", "Stone"}),
    attr(K::Category, "payment_method", "payment method", "支付方式", 0, 0, {"Cash", "Card", "Transfer"}),
    attr(K::Category, "season", "season", "季节", 0, 0, {"Spring", "Summer", "Autumn", "Winter"}),
    attr(K::Category, "priority", "priority", "优先级", 0, 0, {"Low", "Normal", "High", "Urgent"}),
    attr(K::Category, "setting", "setting", "环境", 0, 0, {"Indoor", "Outdoor"}),
    attr(K::Date, "start_date", "start date", "开始日期", 2010, 2024),
    attr(K::Date, "opened_on", "opening date", "开业日期", 1990, 2023),
    attr(K::Date, "birth_date", "birth date", "出生日期", 1950, 2005),
    attr(K::Date, "release_date", "release date", "发布日期", 2000, 2024),
    attr(K::Date, "registered_at", "registration date", "注册日期", 2015, 2024),
    attr(K::Date, "last_inspection", "last inspection date", "最近检查日期", 2018, 2024),
};

const std::vector<AttrSpec> kTestAttrs = {
    attr(K::Integer, "altitude_m", "altitude in meters", "海拔（米）", 0, 4800),
    attr(K::Integer, "population", "population", "人口", 800, 900000),
    attr(K::Integer, "horsepower", "horsepower", "马力", 40, 900),
    attr(K::Integer, "page_count", "page count", "页数", 20, 1200),
    attr(K::Integer, "crew_size", "crew size", "船员人数", 2, 80),
    attr(K::Integer, "episodes", "number of episodes", "集数", 1, 400),
    attr(K::Integer, "built_year", "year built", "建造年份", 1850, 2022, {}, true),
    attr(K::Decimal, "ticket_price", "ticket price", "票价", 300, 25000),
    attr(K::Decimal, "weight_tons", "weight in tons", "重量（吨）", 50, 90000),
    attr(K::Decimal, "annual_fee", "annual fee", "年费", 1000, 500000),
    attr(K::Decimal, "abv", "alcohol content", "酒精度", 300, 1500),
    attr(K::Category, "genre", "genre", "流派", 0, 0, {"Jazz", "Rock", "Folk", "Classical"}),
    attr(K::Category, "climate", "climate", "气候", 0, 0, {"Dry", "Humid", "Mild"}),
    attr(K::Category, "condition_grade", "condition", "状况", 0, 0, {"New", "Used", "Damaged"}),
    attr(K::Category, "zone", "zone", "区域", 0, 0, {"North", "South", "East", "West"}),
    attr(K::Category, "tier", "membership tier", "会员等级", 0, 0, {"Bronze", "Silver", "Gold"}),
    attr(K::Date, "launch_date", "launch date", "发射日期", 1995, 2024),
    attr(K::Date, "founded_on", "founding date", "创立日期", 1900, 2020),
    attr(K::Date, "hired_on", "hiring date", "入职日期", 2005, 2024),
};

struct Verb {
    const char *en, *zh, *edge;  // "belong to", "属于", "BELONGS_TO"
};
const std::vector<Verb> kTrainVerbs = {
    {"belong to", "属于", "BELONGS_TO"},      {"are assigned to", "被分配到", "ASSIGNED_TO"},
    {"are part of", "隶属于", "PART_OF"},     {"are registered with", "登记于", "REGISTERED_WITH"},
    {"are located in", "位于", "LOCATED_IN"}, {"are linked to", "关联到", "LINKED_TO"}};
const std::vector<Verb> kTestVerbs = {{"are supervised by", "受监管于", "SUPERVISED_BY"},
                                      {"are hosted by", "托管于", "HOSTED_BY"},
                                      {"depend on", "依赖于", "DEPENDS_ON"}};

const std::vector<std::string> kPlacePrefixes = {"North", "South", "East", "West",  "Upper",
                                                 "Lower", "New",   "Old",  "Green", "Stone"};
const std::vector<std::string> kPlaceSuffixes = {"Ridge", "Haven", "Field", "Brook", "Port", "Vale", "Crest", "Ford"};
const std::vector<std::string> kGroupSuffixes = {"Group", "Works", "Partners", "Labs", "United", "Alliance"};

std::vector<std::string> words(const std::string &snake) {
    std::vector<std::string> out(1);
    for (char c : snake)
        if (c == '_')
            out.emplace_back();
        else
            out.back() += c;
    return out;
}
std::string capitalised(std::string w) {
    if (!w.empty()) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
}
std::string camel(const std::string &snake) {
    const auto w = words(snake);
    std::string out = w[0];
    for (std::size_t i = 1; i < w.size(); ++i) out += capitalised(w[i]);
    return out;
}
std::string pascal(const std::string &snake) { return capitalised(camel(snake)); }
std::string upper(std::string s) {
    for (auto &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}
// "duration_minutes" -> "dur_min": a short, less readable spelling that only the description explains.
std::string abbreviated(const std::string &snake) {
    std::string out;
    for (const auto &w : words(snake)) out += (out.empty() ? "" : "_") + w.substr(0, 3);
    return out;
}

// Invented words ("dravon", "kelumis") for names no word list holds. A training domain that names some
// of its tables and columns so cannot be answered from memory: the model has to copy the name from
// the schema in the prompt, spelled in pieces it also meets in unseen real words.
class WordInventor {
public:
    // `avoid`: words the invented ones must not equal (the other split's word lists)
    explicit WordInventor(std::set<std::string> avoid) : avoid_(std::move(avoid)) {
        for (const auto &d : dialects())
            for (const char *k : d.keywords) {
                std::string lower = k;
                for (auto &c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                avoid_.insert(lower);
            }
    }
    // A word of two or three syllables not given before in this domain and not a keyword of any dialect.
    std::string invent(Rng &rng, std::set<std::string> &taken) const {
        static const std::vector<std::string> onsets = {"b", "d", "f", "g",  "k",  "l",  "m",  "n",  "p",  "r", "s",
                                                        "t", "v", "z", "br", "dr", "gr", "kr", "pl", "st", "tr"};
        static const std::vector<std::string> vowels = {"a", "e", "i", "o", "u", "ai", "ou"};
        static const std::vector<std::string> codas = {"", "", "", "n", "r", "l", "s", "x", "m"};
        for (;;) {
            std::string w;
            const long syllables = rng.uniform(2, 3);
            for (long i = 0; i < syllables; ++i) w += rng.pick(onsets) + rng.pick(vowels) + rng.pick(codas);
            if (!avoid_.count(w) && taken.insert(w).second) return w;
        }
    }

private:
    std::set<std::string> avoid_;
};

// How one domain spells its identifiers.
struct Naming {
    int tables;           // 0 singular, 1 plural, 2 "tbl_" prefix, 3 PascalCase
    bool camelColumns;    // camelCase columns instead of snake_case
    bool entityKeys;      // "<entity>_id" keys instead of "id"
    bool refForeignKeys;  // "<parent>_ref" instead of "<parent>_id" (with "id" keys)
    std::string column(const std::string &snake) const { return camelColumns ? camel(snake) : snake; }
};

// `inventor` set (training domains): some attributes get an invented name, which questions use as is.
EntitySpec makeEntity(const Noun &noun, const Naming &naming, int count, int extraAttrs,
                      const std::vector<AttrSpec> &pool, const WordInventor *inventor, std::set<std::string> &taken,
                      Rng &rng) {
    EntitySpec e;
    const std::string en = noun.en;
    e.table = naming.tables == 1   ? std::string(noun.plural)
              : naming.tables == 2 ? "tbl_" + en
              : naming.tables == 3 ? pascal(en)
                                   : en;
    e.label = pascal(en);
    e.en = en;
    e.enPlural = noun.plural;
    e.zh = noun.zh;
    e.count = count;
    if (naming.entityKeys) e.key = naming.column(en + "_id");
    e.glossZh = rng.uniform(0, 1) == 0;

    // the name attribute
    const bool titled = noun.style == Title && rng.uniform(0, 1) == 0;
    const std::vector<std::string> nameColumns =
        titled ? std::vector<std::string>{"title", en + "_title"} : std::vector<std::string>{"name", en + "_name"};
    AttrSpec name{naming.column(rng.pick(nameColumns)),
                  AttrKind::Name,
                  titled ? "title" : "name",
                  titled ? "标题" : (noun.style == Person ? "姓名" : "名称"),
                  {},
                  0,
                  0};
    name.described = rng.uniform(0, 2) == 0;
    name.glossZh = name.described && rng.uniform(0, 1) == 0;
    e.attrs.push_back(name);

    // attributes: one category and one number at least, the rest at random, no column twice
    std::vector<const AttrSpec *> categories, numbers, all;
    for (const auto &a : pool) {
        all.push_back(&a);
        if (a.kind == AttrKind::Category) categories.push_back(&a);
        if (a.kind == AttrKind::Integer || a.kind == AttrKind::Decimal) numbers.push_back(&a);
    }
    std::vector<const AttrSpec *> chosen = {rng.pick(categories), rng.pick(numbers)};
    for (int tries = 0; static_cast<int>(chosen.size()) < 2 + extraAttrs && tries < 50; ++tries) {
        const auto *a = rng.pick(all);
        if (std::find(chosen.begin(), chosen.end(), a) == chosen.end()) chosen.push_back(a);
    }
    for (const auto *a : chosen) {
        AttrSpec copy = *a;
        copy.described = rng.uniform(0, 9) < 6;
        const long unreadable = rng.uniform(0, 19);
        // abbreviations of one word could be keywords ("setting" -> "set"), so only longer names get them
        if (inventor && rng.uniform(0, 3) == 0) {
            const std::string word = inventor->invent(rng, taken);
            const std::string snake = a->kind == AttrKind::Date ? word + "_date" : word;
            copy.column = naming.column(snake);
            copy.en = a->kind == AttrKind::Date ? word + " date" : word;
            copy.zh = copy.en;
        } else if (unreadable == 0 && a->column.find('_') != std::string::npos) {
            copy.column = naming.column(abbreviated(a->column));
            copy.described = true;
        } else if (unreadable == 1) {
            copy.column = "c" + std::to_string(e.attrs.size() + 1);
            copy.described = true;
        } else {
            copy.column = naming.column(a->column);
        }
        copy.glossZh = copy.described && rng.uniform(0, 9) < 4;
        e.attrs.push_back(std::move(copy));
    }
    const auto style = noun.style;
    if (style == Person) {
        e.first = kFirstNames;
        e.second = kSurnames;
    } else if (style == Title) {
        e.first = kAdjectives;
        e.second = kNouns;
    } else if (style == Place) {
        e.first = kPlacePrefixes;
        e.second = kPlaceSuffixes;
    } else {
        e.first = kSurnames;
        e.second = kGroupSuffixes;
    }
    return e;
}

}  // namespace

std::vector<DomainSpec> proceduralDomains(int count, bool test, std::uint64_t seed) {
    Rng rng(seed ^ (test ? 0x7e57d0a1f5ULL : 0x7a1ed0a1f5ULL));
    const auto &nouns = test ? kTestNouns : kTrainNouns;
    const auto &pool = test ? kTestAttrs : kTrainAttrs;
    const auto &verbs = test ? kTestVerbs : kTrainVerbs;
    // Training domains invent some of their names; test domains use only their own word lists.
    std::set<std::string> otherSplit;
    for (const auto &noun : kTestNouns) otherSplit.insert(noun.en);
    for (const auto &a : kTestAttrs) otherSplit.insert(a.column);
    const WordInventor inventor(std::move(otherSplit));
    std::vector<DomainSpec> out;
    for (int n = 0; n < count; ++n) {
        DomainSpec d;
        d.subset = "procedural";
        d.test = test;
        d.valueExamples = 2;
        Naming naming{static_cast<int>(rng.uniform(0, 3)), rng.uniform(0, 3) == 0, rng.uniform(0, 2) == 0,
                      rng.uniform(0, 4) == 0};
        // 0: two entities; 1: chain child -> parent -> grandparent; 2: star, a child with two parents
        const long shape = rng.uniform(0, 9) < 3 ? 0 : rng.uniform(0, 9) < 6 ? 1 : 2;
        const int entities = shape == 0 ? 2 : 3;
        std::set<std::string> taken;  // invented words of this domain
        std::vector<Noun> picked;
        while (static_cast<int>(picked.size()) < entities) {
            Noun noun = rng.pick(nouns);
            if (!test && rng.uniform(0, 4) < 2) {
                noun.en = inventor.invent(rng, taken);
                const char last = noun.en.back();
                noun.plural = noun.en + (last == 's' || last == 'x' ? "es" : "s");
                noun.zh = noun.en;
                noun.style = static_cast<NameStyle>(rng.uniform(0, 3));
            }
            if (std::none_of(picked.begin(), picked.end(), [&](const Noun &p) { return p.en == noun.en; }))
                picked.push_back(std::move(noun));
        }
        const int counts[3] = {static_cast<int>(rng.uniform(14, 36)), static_cast<int>(rng.uniform(5, 10)),
                               static_cast<int>(shape == 1 ? rng.uniform(3, 6) : rng.uniform(4, 9))};
        for (int e = 0; e < entities; ++e)
            d.entities.push_back(makeEntity(picked[e], naming, counts[e],
                                            static_cast<int>(e == 0 ? rng.uniform(1, 3) : rng.uniform(0, 1)), pool,
                                            test ? nullptr : &inventor, taken, rng));
        char id[16];
        std::snprintf(id, sizeof id, "%c%04d_", test ? 'u' : 'g', n + 1);
        d.name = id + picked[0].en;
        auto link = [&](int child, int parent) {
            const Verb *verb = &rng.pick(verbs);
            while (!d.links.empty() && d.links[0].en == verb->en) verb = &rng.pick(verbs);
            const auto &p = d.entities[parent];
            LinkSpec l{child, parent, {}, verb->edge, verb->en, verb->zh};
            l.fkColumn = naming.entityKeys ? p.key : naming.column(p.en + (naming.refForeignKeys ? "_ref" : "_id"));
            if (rng.uniform(0, 3) == 0) l.edgeType = "IN_" + upper(p.en);
            d.links.push_back(std::move(l));
        };
        link(0, 1);
        if (shape == 1) link(1, 2);
        if (shape == 2) link(0, 2);
        d.description = capitalised(d.entities[0].enPlural) + " and the " + d.entities[1].enPlural + " they " +
                        d.links[0].en +
                        (shape == 0   ? "."
                         : shape == 1 ? ", which " + d.links[1].en + " " + d.entities[2].enPlural + "."
                                      : ", and the " + d.entities[2].enPlural + ".");
        // shuffled column order in the schema and the tables
        for (auto &e : d.entities) {
            e.order.resize(e.attrs.size());
            for (std::size_t i = 0; i < e.order.size(); ++i) e.order[i] = i;
            rng.shuffle(e.order);
        }
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace momq::bench
