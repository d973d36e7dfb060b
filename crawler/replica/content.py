"""What the replica fleet serves: portals, articles and the deterministic story generator.

Three things live here, shared by every platform module:

* the data model: `Portal` (a site's identity and registry entry), `Story`
  (a platform-neutral news story), `Article` (a story published on one site:
  id, URL, image URLs, rendering traits; a seed page's body layout in
  `Block`s and its captured chrome in a `Snapshot`), `Page` (one HTTP
  answer) and `Site`, the base class every replica site derives from (its
  published articles, publishing over time, validators for conditional requests);
* generation: `generate_stories` draws titles, paragraphs, captions and
  authors from a seeded `random.Random` (the same seed always gives the same
  stories), `merge` adds the fixed stories of `crawler.replica.seeds`,
  `rising_ids` numbers them and `publish` turns a story into a site's Article;
  `fresh_story` draws the articles a site publishes later on (`Site.publish`);
* small Vietnamese text helpers (unaccented slugs, weekday names, SA/CH,
  side-list title cuts) and `CHROME_STRINGS`, page chrome no text pool may hold.

The prose is made of real sentences copied from the five seed pages in
/work/shared/seeds (NFC), so extractors meet genuine Vietnamese text with the
seeds' quirks (old-style tone marks like "Thuỷ", curly quotes, stray spaces
before a period).
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterable, Sequence
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from crawler.replica.seeds import Fixed

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# --------------------------------------------------------------------------------------------
# Text pools: real sentences of the seed pages (bodies only, no boilerplate).
# --------------------------------------------------------------------------------------------

SENTENCES: tuple[str, ...] = (
    # 000, Mường Lát (VNPT)
    "Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến, kết nối từ điểm cầu Tỉnh ủy đến điểm cầu 166 xã, phường trên địa bàn toàn tỉnh.",
    "Dự và chủ trì hội nghị tại điểm cầu Đảng uỷ xã Mường Lát có đồng chí Trịnh Văn Thế, Bí thư Đảng uỷ, Chủ tịch HĐND xã.",
    "Tham dự hội nghị có các đồng chí: Lê Công Nam, Phó Bí thư Thường trực Đảng uỷ; Trịnh Văn Bắc, Phó Bí thư Đảng ủy, Chủ tịch UBND xã; Các đồng chí Uỷ viên BTV Đảng uỷ, Uỷ viên Ban Chấp hành Đảng bộ xã; trưởng, phó các ban, phòng, ngành, MTTQ, đoàn thể xã.",
    "Tại hội nghị, Sở  Dân tộc và Tôn giáo đã báo cáo tiến độ thực hiện Chương trình xóa nhà tạm, nhà dột nát trên địa bàn tỉnh.",
    "Theo báo cáo, đến nay toàn tỉnh đã hoàn thành 12.161 căn nhà (đạt 82,3% kế hoạch); đang xây dựng 2.619 căn và đã giải ngân hỗ trợ cho 13.082 hộ với tổng nguồn lực huy động hơn 1.584 tỉ đồng.",
    "Cũng tại hội nghị, Giám đốc Sở Nội vụ báo cáo kết quả hoạt động xã, phường theo mô hình chính quyền địa phương 2 cấp.",
    "Theo đó, sau 10 ngày hoạt động, 166 xã, phường trên địa bàn tỉnh đã tổ chức thực hiện quyết liệt, bài bản, đồng bộ và bước đầu đạt được những kết quả rất tích cực.",
    "Ngay trong ngày đầu tiên vận hành, 100% xã, phường đã tổ chức thành công các hội nghị của cấp ủy, kỳ họp HĐND, phiên họp UBND; hoàn thành phân công nhiệm vụ, kiện toàn nhân sự và ban hành quy chế làm việc.",
    "Trung tâm Phục vụ hành chính công cấp xã đã bước đầu hoạt động nền nếp; hệ thống công nghệ thông tin từng bước được đầu tư đồng bộ, bảo đảm phục vụ công tác chỉ đạo, điều hành, giải quyết thủ tục hành chính cho Nhân dân.",
    "Nhận thức, tinh thần trách nhiệm của đội ngũ cán bộ được nâng lên rõ rệt.",
    "Nhiều địa phương đã nhanh chóng thích ứng, chủ động đổi mới phương thức làm việc theo hướng hiện đại, chuyên nghiệp, phục vụ.",
    "Thảo luận tại hội nghị, các đại biểu đã tập trung phân tích đánh giá kết quả đạt được trong công tác xóa nhà tạm, nhà dột nát cũng như hoạt động thực hiện chính quyền địa phương 2 cấp từ 01/7 đến nay, những khó khăn, bất cập và các giải pháp tập trung thực hiện trong thời gian tiếp theo.",
    "Phát biểu chỉ đạo và kết luận hội nghị, đồng chí Nguyễn Doãn Anh, Ủy viên BCH Trung ương Đảng, Bí thư Tỉnh ủy nhấn mạnh: Việc xóa nhà tạm, nhà dột nát là nhiệm vụ chính trị đặc biệt quan trọng, mang ý nghĩa nhân văn sâu sắc, thể hiện tinh thần trách nhiệm của cấp ủy, chính quyền và cả hệ thống chính trị trong công cuộc chăm lo đời sống Nhân dân, nhất là Nhân dân các huyện miền núi, vùng sâu, vùng xa, vùng đồng bào dân tộc thiểu số.",
    "Về tình hình hoạt động chính quyền địa phương 2 cấp, Bí thư Tỉnh ủy đánh giá cao sự chủ động, nỗ lực của các địa phương, nhất là các xã miền núi, dù còn nhiều khó khăn nhưng đã khẩn trương ổn định bộ máy, hoàn thiện tổ chức để đi vào vận hành thông suốt.",
    "Đây là tiền đề quan trọng để tiến tới xây dựng một nền hành chính hiện đại, phục vụ Nhân dân, vì Nhân dân.",
    "Bí thư Tỉnh ủy yêu cầu: Các địa phương tiếp tục ổn định tư tưởng cán bộ, công chức, không để gián đoạn trong quá trình thực thi nhiệm vụ; thực hiện việc công khai, minh bạch thủ tục hành chính, tăng cường tuyên truyền để người dân nắm rõ nhiệm vụ của chính quyền cấp xã mới.",
    "Tiếp tục đẩy mạnh chuyển đổi số, lan toả phong trào “Bình dân học vụ số”, lắp đặt hoàn thiện hệ thống mạng internet để kết nối thông suốt bảo đảm hoạt động chỉ đạo, điều hành.",
    "Các Trung tâm Phục vụ hành chính công bố trí nhân lực hỗ trợ người dân khi đến giải quyết thủ tục hành chính.",
    "Tất cả các cấp ủy, chính quyền phải quán triệt tinh thần đoàn kết, thống nhất trong hành động để xây dựng địa phương vững mạnh, từ đó góp phần xây dựng tỉnh Thanh Hóa ngày càng phát triển.",
    # 001, Cẩm Tú (VNPT)
    "Đồng chí Nguyễn Doãn Anh, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy trực tiếp chỉ đạo hội nghị .",
    "Chủ trì tại điểm cầu xã Cẩm Tú có đồng chí Phạm Thị Nhàn – Bí thư Đảng uỷ, Chủ tịch HĐND xã; các đồng chí trong BTV Đảng uỷ, TTHĐND, UBND, UBMTTQ các đoàn thể chính trị xã hội; trưởng phó các phòng, ban ngành, đơn vị chức năng trên địa bàn.",
    "Sau hơn 2 tháng đi vào hoạt động, mô hình chính quyền địa phương 2 cấp đã góp phần nâng cao hiệu quả công tác tiếp cận và phục vụ người dân tại cấp xã.",
    "Với vai trò là cấp hành chính trực tiếp, gần dân nhất, các xã, phường mới đã nhanh chóng ổn định tổ chức, chủ động đổi mới phương thức làm việc theo hướng phục vụ, lấy người dân làm trung tâm.",
    "Năng lực, thái độ phục vụ của đội ngũ cán bộ, công chức cấp xã từng bước được nâng lên qua đó, tăng cường tính chuyên nghiệp, hiện đại trong công tác tiếp công dân và giải quyết hồ sơ, thủ tục hành chính của cá nhân và tổ chức được tốt hơn từng bước củng cố niềm tin và sự đồng thuận của Nhân dân với chính quyền địa phương.",
    "Hiệu quả hoạt động của chính quyền địa phương 2 cấp đã được thể hiện rất rõ trong công tác ứng phó với bão số 5 và mưa lũ sau bão, cũng như công tác khắc phục thiệt hại do thiên tai gây ra, các địa phương và ngành chức năng đã huy động tối đa nguồn lực để tập trung khắc phục hậu quả thiên tai, sớm ổn định cuộc sống và sản xuất của Nhân dân.",
    "Phát biểu chỉ đạo tại Hội nghị , Bí thư Tỉnh ủy Nguyễn Doãn Anh đề nghị các ngành, địa phương cần rút kinh nghiệm và khắc phục ngay những tồn tại, hạn chế trong công tác phòng, chống thiên tai, đặc biệt là công tác chuẩn bị theo phương châm “4 tại chỗ” và những bất cập trong công tác đảm bảo thông tin liên lạc phục vụ chỉ huy phòng, chống thiên tai.",
    "Về hoạt động của chính quyền địa phương 2 cấp, Bí thư Tỉnh ủy Nguyễn Doãn Anh đề nghị các ngành, các cấp tiếp tục phát huy những mặt mạnh, những kết quả đạt được; tập trung khắc phục khó khăn, vướng mắc về nguồn nhân lực, hạ tầng công nghệ thông tin, cơ sở vật chất trang thiết bị phục vụ làm việc.",
    "Lãnh đạo, chỉ đạo, tổ chức thực hiện hiệu quả các nhiệm vụ phát triển kinh tế - xã hội, đảm bảo quốc phòng - an ninh; chuẩn bị tốt các điều kiện để tổ chức thành công Đại hội Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025-2030.",
    "Bí thư Tỉnh ủy Nguyễn Doãn Anh đề nghị toàn thể cán bộ, đảng viên và Nhân dân trong tỉnh tiếp tục phát huy tinh thần đoàn kết, trách nhiệm, nỗ lực cố gắng vượt qua mọi khó khăn, quyết tâm hoàn thành thắng lợi các mục tiêu, nhiệm vụ đã đề ra, xây dựng tỉnh Thanh Hóa ngày càng phát triển, giàu đẹp, văn minh, hiện đại.",
    # 002, Quan Hóa (SharePoint)
    "Đồng chí Hà Thị Thuận TV huyện ủy, Trưởng Ban dân vận, CT UBMTTQ huyện dự chỉ đạo hội nghị.",
    "Kết luận số 684 ngày 10/12/2021 của Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận vùng đồng bào dân tộc Mông tỉnh Thanh Hóa, giai đoạn 2021 -2025 đề ra các chỉ tiêu chủ yếu.",
    "Đến năm 2025, mỗi đoàn thể cấp xã xây dựng được từ 1 đến 2 mô hình “dân vận khéo” trong phát triển kinh tế, giảm nghèo và xây dựng đời sống văn hóa mới mỗi năm; tăng cường vận động, hướng dẫn đồng bào ứng dụng tiến bộ khoa học kỹ thuật vào sản xuất, đẩy mạnh phát triển kinh tế.",
    "Các giải pháp chủ yếu thực hiện kết luận là: tăng cường sự lãnh đạo, chỉ đạo của các cấp ủy, tổ chức Đảng; nâng cao nhận thức và trách nhiệm của cả hệ thống chính trị, tiếp tục đổi mới và nâng cao hiệu quả công tác dân vận trong vùng đồng bào dân tộc Mông; xây dựng, củng cố tổ chức, bộ máy, đội ngũ cán bộ dân vận vùng đồng bào dân tộc Mông.",
    "Tại hội nghị, lãnh đạo UBND huyện cũng đã quán triệt Kế hoạch số 33 của UBND huyện về thực hiện Kết luận số 684-KL/TU của Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận vùng ĐBDT Mông tỉnh Thanh Hóa, giai đoạn 2021-2025.",
    "Tại hội nghị, lãnh đạo xã Phú Sơn đã triển khai kế hoạch xây dựng mô hình \"Chính quyền dân vận khéo\" trong công tác Dân vận của chính quyền xã năm 2022; công bố quyết định thành lập Ban Chỉ đạo thực hiện mô hình điểm \"Chính quyền dân vận khéo\".",
    "Thông qua mô hình điểm “Chính quyền cơ sở dân vận khéo” để nhân rộng những cách làm hay, hiệu quả về công tác dân vận chính quyền ở cơ sở, tạo sức lan tỏa trong Nhân dân.",
    "Qua đó, góp phần thực hiện thắng lợi các nhiệm vụ chính trị của địa phương và Nghị quyết Đại hội Đảng bộ các cấp nhiệm kỳ 2020-2025 đã đề ra.",
    "Từ thực tiễn quá trình xây dựng mô hình điểm còn nhằm đánh giá đúng thực trạng công tác dân vận của chính quyền sơ sở.",
    "Trên cơ sở đó, rút ra những bài học kinh nghiệm, đề ra các giải pháp để lãnh đạo, chỉ đạo trong thực hiện tốt công tác dân vận chính quyền trong tình hình mới.",
    "Phát biểu tại hội nghị, đồng chí Hà Thị Thuận TV huyện ủy, Trưởng Ban Dân vận huyện ủy, Chủ tịch Ủy ban MTTQ huyện đề nghị các địa phương quan tâm, chăm lo đào tạo, bồi dưỡng đội ngũ cán bộ người dân tộc Mông; đẩy mạnh việc dạy tiếng Mông cho cán bộ các cấp, để gần dân, sát dân, hiểu dân, nghe dân nói, làm dân tin.",
    "Hai xã Phú Sơn, Trung Thành cần phân công nhiệm vụ cụ thể cho MTTQ và từng đoàn thể, chính trị xã hội, tránh trùng lắp trong thực hiện nhiệm vụ; phối hợp chặt chẽ với lực lượng vũ trang, đặc biệt là đội liên ngành, để đẩy mạnh công tác tuyên truyền, vận động, nắm bắt tình hình cơ sở.",
    "Đồng chí nhấn mạnh, Ban chỉ đạo xã phải thực tốt quy chế dân chủ cơ sở, công khai, minh bạch các chủ trương chính sách của Đảng, Nhà nước, các dự án phát triển kinh tế - xã hội trên địa bàn xã, khắc phục những tồn tại hạn chế; luôn đề cao ý thức trách nhiệm, gương mẫu, gần gũi với nhân dân, nghe dân nói, nói dân tin; luôn luôn rèn luyện, nâng cao bản lĩnh chính trị.",
    "Phối hợp với cấp ủy, chính quyền địa phương thường xuyên kiểm tra, giám sát việc thực hiện mô hình; thường xuyên sâu sát cơ sở, thực sự cùng chung tay với cán bộ, Nhân dân cơ sở.",
    "Mặt khác, còn tập trung thực hiện nghiêm túc quy chế dân chủ ở cơ sở theo Pháp lệnh 34/2007/PL-UBTVQH11 của Ủy ban Thường vụ Quốc hội; đẩy mạnh cải cách hành chính và quy trình giải quyết thủ tục hành chính.",
    # 003, Báo Lào Cai (newspaper)
    "Cùng dự buổi làm việc có lãnh đạo: Sở Xây dựng; Sở Tài chính; Văn phòng Tỉnh ủy; Ban Quản lý dự án Đầu tư xây dựng số 1 tỉnh và các xã Mù Cang Chải, Khao Mang, Púng Luông, Lao Chải, Nậm Có.",
    "Tại buổi làm việc, đại diện các xã đã báo cáo khái quát việc triển khai thực hiện các nhiệm vụ về xây dựng đảng trên các lĩnh vực; lãnh đạo, tổ chức thực hiện nhiệm vụ phát triển kinh tế, xã hội, quốc phòng, an ninh; giải quyết thủ tục hành chính, cung cấp dịch vụ công cho người dân, doanh nghiệp..",
    "Đến nay, sau hơn 2 tháng đi vào vận hành bộ máy mới đã cơ bản vận hành đúng chức năng, nhiệm vụ theo hướng dẫn; cơ sở vật chất, trang thiết bị làm việc được bố trí tương đối đầy đủ; các phần mềm phục vụ quản lý, giải quyết thủ tục hành chính vận hành thông suốt.",
    "Đồng thời, trung tâm phục vụ hành chính công cấp xã cơ bản hoạt động ổn định, giải quyết kịp thời các nhu cầu cho người dân, doanh nghiệp.",
    "Tại buổi làm việc, các đại biểu đã trao đổi, thảo luận việc thực hiện mô hình chính quyền địa phương 2 cấp trên địa bàn thời gian qua.",
    "Đồng thời, nêu lên một số khó khăn trong quá trình triển khai thực hiện nhiệm vụ như: cơ sở vật chất chưa đáp ứng yêu cầu nhiệm vụ; việc sắp xếp bố trí đội ngũ cán bộ công chức đối với phòng chuyên môn chưa đồng đều; năng lực công tác của một số cán bộ còn hạn chế; thiếu đội ngũ giáo viên, nhất là giáo viên tiếng Anh.",
    "Phát biểu tại buổi làm việc, đồng chí Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Trịnh Xuân Trường ghi nhận những kết quả các xã đạt được thời gian qua.",
    "Về phương hướng, nhiệm vụ thời gian tới, đồng chí Bí thư Tỉnh uỷ nhấn mạnh: Các xã cần tiếp tục đoàn kết, ổn định bộ máy để hoạt động thông suốt, đảm bảo hiệu lực, hiệu quả.",
    "Cùng đó, đội ngũ cán bộ, công chức, nhất là người đứng đầu tiếp tục sâu sát cơ sở, phân chia địa bàn để theo dõi, nắm bắt, giải quyết các nhu cầu chính đáng của người dân.",
    "Đồng chí yêu cầu, để nâng cao hiệu quả thực thi nhiệm vụ, các xã tiếp tục sắp xếp công việc phù hợp cho cán bộ, công chức; tập huấn nâng cao trình độ chuyên môn, năng lực cho cán bộ theo hướng “cầm tay chỉ việc”; cán bộ xã phải thuộc nghị quyết, nắm vững địa bàn, đặc biệt trong giai đoạn này cần giữ vững kỷ luật, kỷ cương.",
    "Đồng chí Trịnh Xuân Trường chỉ rõ, trên cơ sở nghị quyết Đại hội Đảng bộ các cấp, các xã tiếp tục nghiên cứu kỹ để đề ra phương hướng, mục tiêu, nhiệm vụ cho sát với từng địa phương trong phát triển kinh tế, xã hội; phát huy hết các tiềm năng, lợi thế trong phát triển kinh tế, nhất là phát triển du lịch gắn với bản sắc văn hóa bản địa.",
    "Đồng thời, đồng chí Bí thư Tỉnh ủy đề nghị các xã sớm hoàn thiện các tuyến đường kết nối chạy qua địa bàn các xã; chú trọng công tác giải phóng mặt bằng nơi có dự án đi qua; chuẩn bị thật tốt các quỹ đất dành cho xây dựng các trường học, y tế; làm tốt công tác xây dựng Đảng và hệ thống chính trị...",
    "Thấm nhuần lời dạy của Bác: \"Đảng mạnh là do chi bộ tốt, chi bộ tốt là do đảng viên đều tốt\".",
    "Để đảng viên trong chi bộ đều tốt, chị Đặng Thị Thu, Bí thư Chi bộ thôn Chanh Yên, xã Thác Bà luôn gương mẫu đi đầu, trách nhiệm, tận tụy với công việc, trở thành người thắp lửa niềm tin để từng đảng viên so mình phấn đấu.",
    "Nghị quyết số 79-NQ/TW của Bộ Chính trị về phát triển kinh tế nhà nước đã mở ra không gian và tạo động lực mới để thúc đẩy khu vực kinh tế nhà nước thật sự trở thành nền tảng vững chắc, bảo đảm tự chủ chiến lược, tự cường và sức cạnh tranh toàn diện của nền kinh tế.",
    "Sau khi biên chế giai đoạn 2026 - 2031 được cấp có thẩm quyền phê duyệt, các bộ, ngành, địa phương tiếp tục căn cứ vào các tiêu chí cụ thể để chủ động bố trí và giao biên chế cho từng cơ quan, tổ chức, đơn vị thuộc phạm vi quản lý cho phù hợp.",
    "Về bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031, Bộ Nội vụ sẽ tổ chức kiểm tra, kịp thời giải đáp, hướng dẫn thống nhất các vướng mắc phát sinh trong thực tiễn, nhất là những vấn đề mới do lần đầu tổ chức bầu cử gắn với mô hình chính quyền địa phương 2 cấp.",
    # 004, Nông Cống (SharePoint)
    "Dự hội nghị có đồng chí Lê Trọng Hùng, Ủy viên BTV, Trưởng ban Dân vận Huyện ủy, Chủ tịch Ủy ban MTTQ huyện; đồng chí Lê Thanh Triều, Ủy viên BTV, Trưởng ban Tổ chức Huyện ủy; chuyên viên Ban Dân vận Huyện ủy; đại diện phòng Nội vụ UBND huyện.",
    "Tại đây, xã Tân Thọ đã thông qua quyết định thành lập Ban điều hành mô hình, thông qua Quy chế hoạt động của mô hình.",
    "Theo đó,  Ban điều hành mô hình  “Chính quyền thân thiện, vì Nhân dân phục vụ” xã Tân Thọ  gồm 16 thành viên; Quy chế tổ chức và hoạt động của Ban điều hành gồm 9 điều, quy định rõ nguyên tắc hoạt động và nhiệm vụ của các thành viên Ban điều hành.",
    "Ban điều hành hoạt động theo nguyên tắc dân chủ tập trung theo sự điều hành của Trưởng ban, có sự phân công nhiệm vụ, phát huy tinh thần trách nhiệm của mỗi thành viên.",
    "Thông qua họp Ban điều hành, các thành viên trong Ban cùng nhau thảo luận, thống nhất và tổ chức thực hiện các nhiệm vụ.",
    "Ban điều hành duy trì chế độ họp 01 lần/tháng; khi cần thiết có thể họp đột xuất tùy vào điều kiện thực tế.",
    "Cụ thể, trên lĩnh vực phát triển kinh tế, làm tốt các bước công khai dân chủ trong giải phóng mặt bằng theo duy định; vận động nhân dân thực hiện tốt công tác giải phóng mặt bằng triển khai các dự án giao thông và thu hồi đất giải phóng mặt bằng đấu giá quyền sử dụng đất.",
    "Vận động nhân dân tích cực hiến đất, góp công sức xây dựng, mở rộng đường giao thông nông thôn theo quy mô kỹ thuật tiêu chí đô thị và thực hiện tốt công tác quản lý trật tự xây dựng.",
    "Tuyên truyền, vận động các tầng lớp nhân dân thực hiện tốt luật Đất đai sửa đổi; Luật Bảo vệ môi trường.",
    "Tuyên truyền, vận động nhân dân thực hiện tốt kế hoạch sản xuất, khuyến khích các doanh nghiệp đầu tư vào nông nghiệp, nông thôn.",
    "Lĩnh vực Văn hóa -xã hội, làm tốt công tác cải cách thủ tục hành chính, ứng dụng CNTT trong quản lý và giải quyết thủ tục hành chính; công khai kết quả đánh giá và ý kiến, kiến nghị của nhân dân đối với sự phục vụ của chính quyền trong giải quyết thủ tục hành chính cho tổ chức, cá nhân.",
    "Xây dựng xã hội học tập tại địa phương, làm tốt công tác khuyến học, khuyến tài.",
    "Nâng cao chất lượng y tế cộng đồng.",
    "Nâng cao chất lượng hoạt động của các CLB ở các thôn.",
    "Lĩnh vực Quốc phòng - an ninh, nắm chắc tình hình nhân dân, phát hiện sớm những bất cập trong thực hiện chủ trương của Đảng, chính sách pháp luật của Nhà nước ở cơ sở.",
    "Thực hiện tốt việc phối hợp các lực lượng trong đảm bảo ANTT, ATGT, quản lý hành lang ATGT.",
    "Tổ chức thực hiện tốt công tác tiếp dân, giải quyết khiếu nại, tố cáo và phòng, chống tham nhũng.",
    "Thông qua việc xây dựng mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” nhằm thực hiện hiệu quả “Năm Dân vận chính quyền 2023”; đồng thời tiếp tục tuyên truyền và nhân rộng các mô hình, cách làm hiệu quả của công tác Dân vận chính quyền, tạo sức lan tỏa trong nhân dân.",
)

# Headline topics: seed titles and side-list titles, lightly generalised.
TOPICS: tuple[str, ...] = (
    "Tham dự Hội nghị trực tuyến toàn tỉnh về rà soát, đánh giá kết quả vận hành mô hình chính quyền địa phương 2 cấp",
    "Hội nghị trực tuyến đánh giá hoạt động chính quyền địa phương 2 cấp và công tác khắc phục hậu quả do bão số 5 gây ra",
    "Triển khai Kết luận số 684 của Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận vùng đồng bào dân tộc Mông",
    "Ra mắt mô hình “Chính quyền dân vận khéo”",
    "Ra mắt thí điểm mô hình “Điểm dịch vụ công trực tuyến”",
    "Quán triệt và triển khai thực hiện Nghị quyết về quy hoạch, xây dựng, quản lý và phát triển bền vững đô thị",
    "Truyền thông, tư vấn và khám chuyên khoa cho nữ công nhân, lao động",
    "Tổng kết công tác Phòng chống thiên tai, tìm kiếm cứu nạn và Phòng thủ dân sự",
    "Hưởng ứng lễ ra quân Tháng vận động triển khai bảo hiểm xã hội toàn dân",
    "Tổ chức Sàn giao dịch việc làm",
    "Ra mắt và tập huấn xây dựng mô hình \"Chính quyền thân thiện, vì Nhân dân phục vụ\"",
    "Các xã tiếp tục nghiên cứu kỹ để đề ra phương hướng, mục tiêu, nhiệm vụ cho sát với từng địa phương",
    "Nữ bí thư chi bộ tận tụy vì dân",
    "Thống nhất tư tưởng, quyết tâm hành động",
    "Sẵn sàng công tác chuẩn bị bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp",
    "Nghị quyết số 79 của Bộ Chính trị: Bệ phóng thể chế cho kinh tế nhà nước",
    "Bảo đảm không làm tăng số biên chế được cấp có thẩm quyền giao giai đoạn 2026 - 2031",
    "Giải đáp, hướng dẫn thống nhất các vướng mắc phát sinh trong thực tiễn bầu cử",
    "Quán triệt, triển khai Nghị quyết 79 và 80: Nói là làm, làm nhanh, làm hiệu quả",
    "Lan toả phong trào “Bình dân học vụ số”",
    "Đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính",
    "Trung tâm Phục vụ hành chính công cấp xã đi vào hoạt động nền nếp",
    "Hoàn thành chương trình xoá nhà tạm, nhà dột nát",
    "Khắc phục hậu quả mưa lũ, sớm ổn định cuộc sống và sản xuất của Nhân dân",
    "Chuẩn bị tốt các điều kiện tổ chức thành công Đại hội Đảng bộ nhiệm kỳ 2025-2030",
    "Kỳ họp HĐND thông qua nhiều nghị quyết quan trọng",
    "Thực hiện nghiêm túc Quy chế dân chủ ở cơ sở",
    "Vận động nhân dân hiến đất mở rộng đường giao thông nông thôn",
    "Nâng cao chất lượng hoạt động của các câu lạc bộ ở thôn, bản",
    "Xây dựng xã hội học tập, làm tốt công tác khuyến học, khuyến tài",
    "Tập huấn nâng cao trình độ chuyên môn theo hướng “cầm tay chỉ việc”",
    "Tăng cường kỷ luật, kỷ cương trong cơ quan hành chính nhà nước",
    "Đảm bảo an ninh trật tự, an toàn giao thông",
    "Tiếp công dân, giải quyết khiếu nại, tố cáo và phòng, chống tham nhũng",
    "Sơ kết thực hiện nhiệm vụ phát triển kinh tế - xã hội",
    "Phát triển du lịch gắn với bản sắc văn hóa bản địa",
    "Khuyến khích doanh nghiệp đầu tư vào nông nghiệp, nông thôn",
    "Giải phóng mặt bằng triển khai các dự án giao thông trọng điểm",
    "Lãnh đạo tỉnh làm việc về tình hình vận hành bộ máy mới",
    "Tuyên truyền, phổ biến Luật Đất đai sửa đổi",
)

# Lead clauses follow "Sáng ngày 10/7, "; {org} is the organising body of the portal's place.
LEAD_CLAUSES: tuple[str, ...] = (
    "{org} tổ chức hội nghị trực tuyến rà soát, đánh giá tình hình kết quả vận hành mô hình chính quyền địa phương 2 cấp và chương trình xoá nhà tạm, nhà dột nát.",
    "Thường trực Tỉnh ủy tổ chức hội nghị trực tuyến kết nối đến 166 xã, phường trong toàn tỉnh nhằm đánh giá hoạt động chính quyền địa phương 2 cấp; công tác khắc phục hậu quả do cơn bão số 5 và mưa lũ sau bão gây ra trên địa bàn tỉnh.",
    "{org} tổ chức hội nghị triển khai Kết luận của Ban thường vụ Tỉnh ủy về tăng cường công tác dân vận vùng đồng bào dân tộc Mông và ra mắt mô hình chính quyền dân vận khéo.",
    "{org} tổ chức Hội nghị ra mắt và tập huấn xây dựng mô hình \"Chính quyền thân thiện, vì Nhân dân phục vụ\".",
    "đồng chí Bí thư Tỉnh ủy làm việc với lãnh đạo các xã để nắm bắt tình hình vận hành mô hình chính quyền địa phương 2 cấp sau hai tháng đi vào hoạt động.",
    "{org} tổ chức lễ ra quân Tháng vận động triển khai bảo hiểm xã hội toàn dân.",
    "{org} tổ chức Sàn giao dịch việc làm, thu hút đông đảo người lao động và doanh nghiệp tham gia.",
    "{org} tổng kết công tác Phòng chống thiên tai, tìm kiếm cứu nạn và Phòng thủ dân sự, triển khai nhiệm vụ năm tới.",
    "{org} tổ chức hội nghị quán triệt, triển khai thực hiện các nghị quyết mới của Trung ương và của Tỉnh ủy.",
    "{org} ra mắt thí điểm mô hình “Điểm dịch vụ công trực tuyến” nhằm hỗ trợ người dân thực hiện thủ tục hành chính trên môi trường điện tử.",
    "{org} phối hợp tổ chức truyền thông, tư vấn và khám chuyên khoa cho nữ công nhân, lao động trên địa bàn.",
    "{org} tổ chức kỳ họp chuyên đề xem xét, thông qua các nghị quyết về phát triển kinh tế - xã hội.",
)

CAPTIONS: tuple[str, ...] = (
    "Các đại biểu tham dự Hội nghị tại điểm cầu {place}",
    "Đồng chí Bí thư Tỉnh uỷ Nguyễn Doãn Anh kết luận Hội nghị",
    "Quang cảnh buổi làm việc",
    "Lãnh đạo Sở Tài chính phát biểu tại buổi làm việc",
    "Lãnh đạo xã Mù Cang Chải phát biểu tại buổi làm việc.",
    "Lãnh đạo xã Lao Chải phát biểu tại buổi làm việc.",
    "Đồng chí Trịnh Xuân Trường - Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu kết luận buổi làm việc.",
    "Quang cảnh hội nghị tại điểm cầu {place}",
    "Các đại biểu thảo luận tại hội nghị",
    "Người dân làm thủ tục tại Trung tâm Phục vụ hành chính công {place}",
    "Ra mắt Ban điều hành mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ”",
    "Lực lượng chức năng giúp Nhân dân khắc phục hậu quả mưa lũ",
    "Cán bộ hướng dẫn người dân sử dụng dịch vụ công trực tuyến",
    "Lãnh đạo {place} trao quà cho các hộ gia đình có hoàn cảnh khó khăn",
)

SUBHEADS: tuple[str, ...] = (
    "Sau hơn 2 tháng đi vào vận hành bộ máy mới, các xã đã cơ bản vận hành đúng chức năng, nhiệm vụ",
    "Các xã tiếp tục nghiên cứu kỹ để đề ra phương hướng, mục tiêu, nhiệm vụ cho sát với từng địa phương",
    "Tháo gỡ khó khăn, vướng mắc từ cơ sở",
    "Phát huy vai trò người đứng đầu",
    "Nhiều kết quả tích cực",
)

TAGS: tuple[str, ...] = (
    "chính quyền địa phương 2 cấp", "chuyển đổi số", "dân vận khéo", "xóa nhà tạm", "bầu cử",
    "phòng chống thiên tai", "cải cách hành chính", "Nghị quyết 79", "bảo hiểm xã hội", "việc làm",
)

# Page chrome of the real portals (side lists, counters, footers): never part of an article's text.
CHROME_STRINGS: tuple[str, ...] = (
    "Thống kê truy cập", "Website được thiết kế bởi VNPT", "CƠ QUAN CHỦ QUẢN", "Tin nổi bật", "Tin mới nhất",
    "Tin cùng chuyên mục", "Có thể bạn quan tâm", "image advertisement", "image banner", "Đang online",
)
_CHROME_IN_POOLS = [text for text in (*SENTENCES, *SUBHEADS, *LEAD_CLAUSES, *CAPTIONS)
                    if any(chrome.lower() in text.lower() for chrome in CHROME_STRINGS)]
if _CHROME_IN_POOLS:  # generated bodies, leads and captions are drawn from these pools only
    raise RuntimeError(f"page chrome in the replica text pools: {_CHROME_IN_POOLS}")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

def nfc(text: str) -> str:
    """NFC with runs of whitespace collapsed: the form of every truth text."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def unaccent(text: str) -> str:
    """Vietnamese without diacritics ("Đảng uỷ" -> "Dang uy"), the form URL slugs use."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str, max_length: int = 80, lower: bool = True, cut_words: bool = False) -> str:
    """Unaccented, hyphenated slug; cut at `max_length` on a word boundary unless `cut_words`."""
    words = re.findall(r"[A-Za-z0-9]+", unaccent(text))
    slug = "-".join(words)
    slug = slug.lower() if lower else slug
    if len(slug) > max_length:
        slug = slug[:max_length] if cut_words else slug[: max_length + 1].rsplit("-", 1)[0]
    return slug.strip("-")


def ampm(dt: datetime) -> str:
    """12-hour clock with the Vietnamese SA (a.m.) / CH (p.m.) marks: "4:01 CH"."""
    hour = dt.hour % 12 or 12
    return f"{hour}:{dt.minute:02d} {'SA' if dt.hour < 12 else 'CH'}"


def image_slots(paragraphs: int, images: int) -> list[int]:
    """Index of the paragraph each image follows, spread evenly through the body."""
    return [max(0, min(paragraphs - 1, round((i + 1) * paragraphs / (images + 1)) - 1)) for i in range(images)]


def truncate(text: str, length: int = 100) -> str:
    """Cut a title for a side list the way the SharePoint portals do: the first `length`
    characters less the last (maybe partial) word, then "..." ("... phát triển bền...")."""
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0].rstrip() + "..."


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Portal:
    """A replica site's identity: what its registry entry says about it."""

    id: str
    name: str
    province: str
    level: str
    platform: str
    start_paths: tuple[str, ...]
    render: str | None = None

    def registry_entry(self, base_url: str) -> dict:
        entry = {
            "id": self.id, "name": self.name, "province": self.province, "level": self.level,
            "platform": self.platform, "base_url": base_url, "start_paths": list(self.start_paths),
        }
        if self.render:
            entry["render"] = self.render
        return entry


@dataclass(frozen=True)
class Voice:
    """How a portal writes: its place names, who organises events, who signs articles."""

    place: str                    # "xã Mường Lát": used in captions and qualifiers
    title_prefixes: tuple[str, ...]  # "Xã Mường Lát: " ...; "" means no prefix
    orgs: tuple[str, ...]         # organisers in lead sentences ("Đảng uỷ xã Mường Lát")
    authors: tuple[str, ...]
    paragraphs: tuple[int, int] = (4, 8)
    subheads: bool = False        # newspapers put a few bold subheadings in long bodies


@dataclass(frozen=True)
class Story:
    """A platform-neutral news story, before a site gives it an id, a URL and images."""

    title: str
    published_at: datetime
    lead: str                     # the summary, without any platform prefix
    paragraphs: tuple[str, ...]
    captions: tuple[str | None, ...]  # one per image (1-3 when generated); None: the image has no caption
    author: str
    tags: tuple[str, ...]
    category: str                 # a category key of the portal
    subheads: tuple[int, ...] = ()  # indexes of paragraphs that are subheadings
    fixed: Fixed | None = None    # the seed-page spec of a story every fleet publishes (crawler.replica.seeds)
    story_key: str = ""           # the truth about stories: copies of one story share it ("": a story of its own)


@dataclass(frozen=True)
class Block:
    """One element of an article body, in page order.

    kind "p" (paragraph) and "h2" (subheading) carry `text` as the page shows
    it (no-break spaces and all; the truth is its `nfc`); kind "img" is
    `Article.images[image]`, `text` being what follows the image inside its
    paragraph; kind "gap" is an empty spacer paragraph. `para` is the index
    in `Article.paragraphs` of the paragraph the block is or comes after
    (-1 before the first).
    """

    kind: str
    text: str = ""
    image: int = -1
    para: int = -1


@dataclass(frozen=True)
class Snapshot:
    """The chrome of a captured page (a seed page) where it differs from its site's live template.

    Defaults are the live template. `related` and `interest` list the titles
    of the articles a block showed ("Tin cùng chuyên mục", "Có thể bạn quan
    tâm"); None means the live rule, () an empty block.
    """

    date_line: bool = True        # False: the page states its date in <meta> tags only
    tools: bool = True            # the "A- 100% A+" / print tool bar
    hot_items: bool = True        # titles under "Tin nổi bật" (False: the block's heading only)
    latest: bool = True           # the "Tin mới nhất" side block
    ads: tuple[int, ...] | None = None  # image advertisements per side block
    counter: tuple[int, int, int, int] | None = None  # online, today, this week, total
    related: tuple[str, ...] | None = None
    interest: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Article:
    """One story as published on one site, and the truth a crawl is compared with.

    `url` and the image URLs are absolute once the site is bound to its server
    (`bind`); before that `url` equals `path` and images hold media paths.
    All text is NFC, whatever the page shows (some pages ship NFD or entities).
    `published_at` is what the article page itself states, at the precision it
    states it: a page that prints only a date gives midnight local time.
    `posted_at` is the CMS's full timestamp, printed by some list pages.
    An image's caption is None when the page gives it none.
    Seed pages (real pages rebuilt from /work/shared/seeds) have `seed_id`,
    the "seed" trait, their body layout in `blocks` and their captured chrome
    in `snapshot`.
    """

    id: int
    title: str
    category: str                 # display name, as in the page's breadcrumb ("Tin tức - Sự kiện")
    published_at: datetime        # aware, Asia/Ho_Chi_Minh, as precise as the article page
    summary: str                  # as printed on the page, platform prefix ("LCĐT - ") included
    paragraphs: tuple[str, ...]   # body text blocks, without captions and author line
    images: tuple[tuple[str, str | None], ...]  # (url, caption)
    author: str                   # "" when the page names nobody
    url: str
    path: str
    category_key: str             # the category's URL segment ("tin-tuc-su-kien", "Kinh-te")
    tags: tuple[str, ...] = ()
    subheads: tuple[int, ...] = ()
    traits: frozenset[str] = field(default_factory=frozenset)  # platform rendering switches
    posted_at: datetime | None = None  # full CMS time when the article page shows less
    blocks: tuple[Block, ...] = ()  # the body's layout when it is not the generated one
    snapshot: Snapshot = Snapshot()
    seed_id: str = ""
    story_key: str = ""           # Story.story_key: the articles carrying one story share it; "" for a story of its own

    @property
    def listed_at(self) -> datetime:
        """The time list pages and side lists print: the CMS's own, to the second."""
        return self.posted_at or self.published_at

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def layout(self) -> tuple[Block, ...]:
        """The body in page order: `blocks`, or paragraphs with the images spread evenly among them."""
        if self.blocks:
            return self.blocks
        slots = image_slots(len(self.paragraphs), len(self.images))
        layout = []
        for index, paragraph in enumerate(self.paragraphs):
            layout.append(Block("h2" if index in self.subheads else "p", paragraph, para=index))
            layout += [Block("img", image=k, para=index) for k, slot in enumerate(slots) if slot == index]
        return tuple(layout)

    def bind(self, base_url: str, media_url: str) -> Article:
        return replace(
            self,
            url=base_url + self.path,
            images=tuple((media_url + src, caption) for src, caption in self.images),
        )


@dataclass(frozen=True)
class Page:
    """One HTTP answer of a replica site."""

    body: str | bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    is_article: bool = False      # article pages are the ones the fleet's `delay` slows down
    article: Article | None = None  # the article an article page shows (its time is the page's Last-Modified)
    etag: str | None = None       # validators, set by `Site.answer` where the site's policy sends them
    last_modified: datetime | None = None

    def encoded(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else self.body.encode("utf-8")


# Answers that carry validators (HTML pages, RSS feeds, sitemaps), and the links that say what a page shows.
_VALIDATED_TYPES = re.compile(r"html|xml")
_LINKS = re.compile(r'href="([^"]*)"|<link>([^<]*)</link>|<guid[^>]*>([^<]*)</guid>|<loc>([^<]*)</loc>')


class Site:
    """Base of every replica site: a portal, its published articles, and routing.

    Subclasses publish stories into articles in `__init__` and answer requests
    in `route(path, query)`; `bind` is called once the server knows its port.

    Publishing over time: a site that implements `fresh_article` can publish
    new articles after it was built (`publish`). Fresh article k is drawn from
    (seed, site, k) alone and comes a few hours after the newest article
    before it, so the same fleet always publishes the same articles in the same
    order, whenever it publishes them. Until published an article is in no
    index: its URL answers 404 and no page links it. `articles` and the
    `by_*` indexes always hold the published articles only, newest first.

    Conditional requests: `validators` lists what the site's HTML and XML
    answers carry ("etag": a strong hash of the body; "last-modified": the
    article's own time on an article page, else the newest time among the
    articles the page links); `answer` sets them on the Page, the server
    answers 304 when a request's If-None-Match / If-Modified-Since allows.
    Times are the CMS's own (`Article.listed_at`, to the second).
    """

    server_header = "nginx"
    extra_headers: tuple[tuple[str, str], ...] = ()
    categories: dict[str, str] = {}  # category key -> display name
    validators: frozenset[str] = frozenset()  # of "etag", "last-modified"
    seed = 0                      # the fleet seed the site was built from (fresh articles are drawn from it)

    def __init__(self, portal: Portal, articles: list[Article]):
        self.portal = portal
        self._unbound = articles
        self._initial = articles      # the articles the site was built with, bound once `bind` ran
        self._fresh_unbound: list[Article] = []  # fresh articles drawn so far, in publishing order
        self._fresh: list[Article] = []
        self.published = 0            # how many fresh articles are published
        self.lock = threading.RLock()  # publishing never races a page being written
        self.base_url = ""
        self.media_url = ""
        self._index()

    def bind(self, base_url: str, media_url: str) -> None:
        """Make every URL absolute and index the articles (by id, path, title and category)."""
        with self.lock:
            self.base_url, self.media_url = base_url, media_url
            self._initial = [article.bind(base_url, media_url) for article in self._unbound]
            self._fresh = [article.bind(base_url, media_url) for article in self._fresh_unbound]
            self._index()

    def _index(self) -> None:
        """`articles` (published, newest first) and the indexes every route looks articles up in."""
        self.articles = self._fresh[:self.published][::-1] + self._initial
        self.by_id = {article.id: article for article in self.articles}
        self.by_path = {article.path: article for article in self.articles}
        self.by_title = {article.title: article for article in self.articles}
        self.by_category = {key: [a for a in self.articles if a.category_key == key] for key in self.categories}

    # Publishing over time -------------------------------------------------------------------------
    @property
    def can_publish(self) -> bool:
        return type(self).fresh_article is not Site.fresh_article and bool(self._unbound)

    def fresh_article(self, index: int, after: datetime, taken: set[str], last_id: int) -> Article:
        """Fresh article `index` (0-based), unbound: posted after `after`, a title not in `taken`, an id
        above `last_id` where the site's ids rise. Sites that never publish leave this out."""
        raise NotImplementedError(f"{self.portal.id} publishes no new articles")

    def upcoming(self, count: int = 1) -> list[Article]:
        """The next `count` articles `publish` will publish (not reachable yet), drawing them if needed."""
        with self.lock:
            while len(self._fresh_unbound) < self.published + count:
                everything = self._unbound + self._fresh_unbound
                article = self.fresh_article(len(self._fresh_unbound), max(a.listed_at for a in everything),
                                             {a.title for a in everything}, max(a.id for a in everything))
                self._fresh_unbound.append(article)
                self._fresh.append(article.bind(self.base_url, self.media_url) if self.base_url else article)
            return self._fresh[self.published:self.published + count]

    def publish(self, count: int = 1) -> list[Article]:
        """Publish the next `count` fresh articles: from now on lists, feeds and side lists show them."""
        with self.lock:
            articles = self.upcoming(count)
            self.published += len(articles)
            self._index()
            return articles

    # Answers ----------------------------------------------------------------------------------------
    def answer(self, path: str, query: dict[str, list[str]]) -> Page:
        """`route`'s page, with the validators of the site's policy on a 200 HTML or XML answer."""
        with self.lock:
            page = self.route(path, query)
            if page.status != 200 or not self.validators or not _VALIDATED_TYPES.search(page.content_type):
                return page
            body = page.encoded()
            etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"' if "etag" in self.validators else None
            modified = None
            if "last-modified" in self.validators:
                shown = [page.article] if page.article else self.linked_articles(body.decode("utf-8", "replace"))
                modified = max((a.listed_at for a in shown), default=None)
            return replace(page, etag=etag, last_modified=modified)

    def linked_articles(self, source: str) -> list[Article]:
        """The published articles a page links (href, RSS <link>/<guid>, sitemap <loc>)."""
        found: dict[int, Article] = {}
        for match in _LINKS.finditer(source):
            target = html.unescape(next(group for group in match.groups() if group is not None))
            target = target.removeprefix(self.base_url).partition("#")[0] if self.base_url else target.partition("#")[0]
            article = self.by_path.get(target)
            if article is not None:
                found[article.id] = article
        return list(found.values())

    def registry_entry(self) -> dict:
        return self.portal.registry_entry(self.base_url)

    def route(self, path: str, query: dict[str, list[str]]) -> Page:  # pragma: no cover - abstract
        raise NotImplementedError

    # Shared answers ----------------------------------------------------------------------------
    def robots(self, disallow: Sequence[str] = ("/admin/",), sitemap: str | None = None) -> Page:
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), "Allow: /"]
        if sitemap:
            lines.append(f"Sitemap: {self.base_url}{sitemap}")
        return Page("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

    def redirect(self, location: str, status: int = 301) -> Page:
        return Page("", status=status, headers=(("Location", location),))

    def not_found(self) -> Page:
        return Page(
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>404 - Không tìm thấy trang</title>"
            "</head><body><h1>404</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xoá.</p>"
            "<p><a href=\"/\">Về trang chủ</a></p></body></html>",
            status=404,
        )


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

def story_rng(seed: int, key: str, purpose: str) -> random.Random:
    """A Random for one (seed, portal, purpose): string seeds hash stably across runs."""
    return random.Random(f"{seed}:{key}:{purpose}")


def _timestamps(rng: random.Random, count: int, start: datetime, end: datetime) -> list[datetime]:
    """`count` distinct publication times between start and end, office hours, newest first."""
    span_days = (end - start).days
    seen: set[datetime] = set()
    while len(seen) < count:
        day = start + timedelta(days=rng.randrange(span_days + 1))
        moment = day.replace(hour=rng.randint(7, 20), minute=rng.randrange(60), second=rng.randrange(60))
        if start <= moment <= end:
            seen.add(moment)
    return sorted(seen, reverse=True)


def _title(rng: random.Random, voice: Voice, when: datetime, taken: set[str]) -> str:
    qualifiers = ("", "", f"năm {when.year}", f"tháng {when.month}/{when.year}", f"trên địa bàn {voice.place}",
                  f"quý {(when.month - 1) // 3 + 1}/{when.year}")
    for attempt in range(200):
        title = f"{rng.choice(voice.title_prefixes)}{rng.choice(TOPICS)}"
        qualifier = rng.choice(qualifiers)
        if qualifier and not title.endswith("”") and not title.endswith("\""):
            title = f"{title} {qualifier}"
        if attempt > 100:  # the pool is exhausted for this portal: number the series
            title = f"{title} (đợt {attempt - 99})"
        if title not in taken:
            taken.add(title)
            return title
    raise RuntimeError("could not draw a unique title")


def _lead(rng: random.Random, voice: Voice, when: datetime) -> str:
    part = "Sáng" if when.hour < 12 else rng.choice(("Chiều", "Chiều", "Tối"))
    day = f"{when.day}/{when.month}" if rng.random() < 0.7 else f"{when.day}/{when.month}/{when.year}"
    clause = rng.choice(LEAD_CLAUSES).format(org=rng.choice(voice.orgs))
    lead = f"{part} ngày {day}, {clause}"
    if rng.random() < 0.4:
        lead += " " + rng.choice(SENTENCES)
    return lead


def _paragraphs(rng: random.Random, voice: Voice,
                pool: Sequence[str] = SENTENCES) -> tuple[tuple[str, ...], tuple[int, ...]]:
    count = rng.randint(*voice.paragraphs)
    picked = rng.sample(pool, k=min(len(pool), count * 3))
    paragraphs, cursor = [], 0
    for _ in range(count):
        size = rng.choice((1, 1, 2, 2, 3))
        chunk = picked[cursor: cursor + size] or [rng.choice(pool)]
        cursor += size
        paragraphs.append(" ".join(chunk))
    subheads: list[int] = []
    if voice.subheads and count >= 6 and rng.random() < 0.6:
        # Each insertion shifts the later positions by one.
        for shift, position in enumerate(sorted(rng.sample(range(2, count), k=2))):
            paragraphs.insert(position + shift, rng.choice(SUBHEADS))
            subheads.append(position + shift)
    return tuple(paragraphs), tuple(subheads)


def fill_story(rng: random.Random, voice: Voice, title: str, when: datetime, category: str,
               lead: str | None = None) -> Story:
    """A story with the given headline and time: body, captions, lead (unless given), author and tags drawn.

    A given lead's sentences are kept out of the body: a page does not repeat its sapo as its first paragraph.
    """
    given = nfc(lead or "")
    pool = [s for s in SENTENCES if s[:60] not in given and given[:60] not in s] if given else SENTENCES
    paragraphs, subheads = _paragraphs(rng, voice, pool)
    captions = tuple(rng.choice(CAPTIONS).format(place=voice.place) for _ in range(rng.choice((1, 1, 2, 2, 3))))
    return Story(
        title=nfc(title),
        published_at=when,
        lead=nfc(lead if lead is not None else _lead(rng, voice, when)),
        paragraphs=tuple(nfc(p) for p in paragraphs),
        captions=tuple(nfc(c) for c in captions),
        author=nfc(rng.choice(voice.authors)),
        tags=tuple(rng.sample(TAGS, k=rng.randint(1, 3))),
        category=category,
        subheads=subheads,
    )


def generate_stories(
    seed: int,
    key: str,
    count: int,
    voice: Voice,
    categories: Sequence[str],
    start: datetime,
    end: datetime,
    avoid_titles: Iterable[str] = (),
) -> list[Story]:
    """`count` stories for one portal, newest first, identical for the same arguments.

    Story i gets category `categories[i % len(categories)]`: repeat a key in
    `categories` to give that category more articles. No title is drawn twice,
    nor any of `avoid_titles` (another portal's, when copies must be the only
    shared titles, or the portal's seed pages).
    """
    rng = story_rng(seed, key, "stories")
    taken: set[str] = set(avoid_titles)
    pattern = list(categories)
    return [replace(fill_story(rng, voice, _title(rng, voice, when, taken), when, pattern[index % len(pattern)]),
                    story_key=f"{key}/{seed}/{index}")
            for index, when in enumerate(_timestamps(rng, count, start, end))]


FRESH_GAP_HOURS = (2, 5)  # a fresh article comes this many hours (and some minutes) after the one before
OFFICE_HOURS = (7, 20)    # editors post from 7:00 to 20:59


def fresh_story(seed: int, key: str, index: int, voice: Voice, category: str, after: datetime,
                taken: set[str]) -> tuple[Story, random.Random]:
    """Fresh story `index` of portal `key` (one published after the site was built), its title not in
    `taken` (added to it); with the Random that drew it, for the site's own publishing choices (id,
    images, traits). The same arguments always give the same story.

    `after` is the time of the site's newest article. The first fresh story is posted the morning of the
    next day, so even a page that prints only the date shows it newer than every article the site was
    built with; each later one a few hours after the one before, in office hours (after 20:59 the next
    morning).
    """
    rng = story_rng(seed, key, f"fresh:{index}")
    first, last = OFFICE_HOURS
    if index == 0:
        when = (after + timedelta(days=1)).replace(hour=rng.randint(first, first + 2), minute=rng.randrange(60),
                                                   second=rng.randrange(60))
    else:
        when = after + timedelta(hours=rng.randint(*FRESH_GAP_HOURS), minutes=rng.randrange(60),
                                 seconds=rng.randrange(60))
        if when.hour > last or when.date() > after.date():
            when = (after + timedelta(days=1)).replace(hour=first, minute=rng.randrange(60), second=rng.randrange(60))
        elif when.hour < first:
            when = when.replace(hour=first)
    return fill_story(rng, voice, _title(rng, voice, when, taken), when, category), rng


def merge(*sources: Iterable[Story]) -> list[Story]:
    """The stories of several sources (drawn ones, a seed page and what it lists) in one list, newest first."""
    stories = [story for source in sources for story in source]
    return sorted(stories, key=lambda story: story.published_at, reverse=True)


def publish(story: Story, number: int, category: str, path: str, images: Iterable[tuple[str, str | None]], *,
            published_at: datetime | None = None, summary: str | None = None,
            traits: frozenset[str] = frozenset()) -> Article:
    """`story` as a site publishes it: its id, category name, path and image paths, and what the page
    states where it is not the story's own (a date-only `published_at`, a prefixed `summary`). A fixed
    story (seed page) brings its own traits, body layout and captured chrome."""
    fixed = story.fixed
    return Article(
        id=number, title=story.title, category=category, published_at=published_at or story.published_at,
        posted_at=story.published_at, summary=story.lead if summary is None else summary,
        paragraphs=story.paragraphs, images=tuple(images), author=story.author, url=path, path=path,
        category_key=story.category, tags=story.tags, subheads=story.subheads,
        traits=fixed.traits if fixed else traits, story_key=story.story_key,
        **({"blocks": fixed.blocks, "snapshot": fixed.snapshot, "seed_id": fixed.seed_id} if fixed else {}),
    )


def rising_ids(rng: random.Random, count: int, low: int, high: int, fixed: dict[int, int] | None = None) -> list[int]:
    """Distinct ids for `count` articles listed newest first, largest first, drawn from [low, high].

    `fixed` pins one article's id ({index: id}, a seed page's real id): the
    newer ones then get larger ids and the older ones smaller, the range
    widened if one side has too little room.
    """
    if not fixed:
        return sorted(rng.sample(range(low, high + 1), k=count), reverse=True)
    (index, pinned), = fixed.items()
    newer, older = index, count - 1 - index
    above = rng.sample(range(pinned + 1, max(high, pinned + 2 * newer) + 1), k=newer)
    below = rng.sample(range(min(low, pinned - 2 * older), pinned), k=older)
    return sorted(above, reverse=True) + [pinned] + sorted(below, reverse=True)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Vietnam local time (UTC+7)."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)
